// Human-readable durations for progress lines and ETAs ("1h2m3s", "4m5s", "6s"), shared by the
// trainer and the SubCircuit ranking.
#pragma once

#include <string>

namespace qnas::supercircuit {

// Rounded to whole seconds; negative input counts as 0.
std::string format_duration(double seconds);

}  // namespace qnas::supercircuit

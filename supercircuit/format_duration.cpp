#include "supercircuit/format_duration.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace qnas::supercircuit {

std::string format_duration(double s) {
    const long t = std::lround(std::max(0.0, s));
    std::ostringstream out;
    if (t >= 3600) out << t / 3600 << "h";
    if (t >= 60) out << (t / 60) % 60 << "m";
    out << t % 60 << "s";
    return out.str();
}

}  // namespace qnas::supercircuit

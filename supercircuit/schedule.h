// Per-epoch learning-rate schedules of the QuantumNAS recipes (the scheduler is stepped once per
// epoch, so every step of epoch e uses learning_rate(s, e)):
//  - constant: lr.
//  - cosine: torch's CosineAnnealingLR(T_max = n_epochs, eta_min = 0), as the TorchQuantum MNIST-4
//    anchors used: lr · (1 + cos(π e / n_epochs)) / 2.
//  - cosine_warm: QuantumNAS's SuperCircuit schedule: linear warm-up from min_lr to lr over
//    warmup_epochs (epoch 0 runs at min_lr), then cosine from lr down to min_lr, reached at the
//    last epoch (e = n_epochs − 1). The QuantumNAS configs never set min_lr; our default is the
//    scheduler class's 1e-3 (docs/config.md).
#pragma once

#include <string>

namespace qnas::supercircuit {

enum class ScheduleKind { Constant, Cosine, CosineWarm };

struct Schedule {
    ScheduleKind kind = ScheduleKind::Cosine;
    double lr = 5e-3;
    int n_epochs = 200;
    int warmup_epochs = 30;  // cosine_warm only
    double min_lr = 1e-3;    // cosine_warm only
};

// Learning rate of epoch `epoch` (0-based).
double learning_rate(const Schedule& s, int epoch);

// "constant", "cosine", "cosine_warm"; throws qnas::Error naming the known schedules.
ScheduleKind parse_schedule_kind(const std::string& name);
const char* schedule_kind_name(ScheduleKind k);

}  // namespace qnas::supercircuit

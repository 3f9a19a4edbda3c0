#include "supercircuit/schedule.h"

#include <cmath>
#include <numbers>

#include "sim/error.h"

namespace qnas::supercircuit {

double learning_rate(const Schedule& s, int epoch) {
    switch (s.kind) {
        case ScheduleKind::Constant: return s.lr;
        case ScheduleKind::Cosine:
            if (s.n_epochs <= 0) return s.lr;
            return s.lr * (1.0 + std::cos(std::numbers::pi * epoch / s.n_epochs)) / 2.0;
        case ScheduleKind::CosineWarm: {
            if (epoch < s.warmup_epochs) return s.min_lr + (s.lr - s.min_lr) * epoch / s.warmup_epochs;
            const int span = s.n_epochs - 1 - s.warmup_epochs;
            if (span <= 0) return s.lr;
            const double progress = static_cast<double>(epoch - s.warmup_epochs) / span;
            return s.min_lr + (s.lr - s.min_lr) * (1.0 + std::cos(std::numbers::pi * progress)) / 2.0;
        }
    }
    return s.lr;
}

ScheduleKind parse_schedule_kind(const std::string& name) {
    if (name == "constant") return ScheduleKind::Constant;
    if (name == "cosine") return ScheduleKind::Cosine;
    if (name == "cosine_warm") return ScheduleKind::CosineWarm;
    throw Error("unknown scheduler '" + name + "' (known: constant, cosine, cosine_warm)");
}

const char* schedule_kind_name(ScheduleKind k) {
    switch (k) {
        case ScheduleKind::Constant: return "constant";
        case ScheduleKind::Cosine: return "cosine";
        case ScheduleKind::CosineWarm: return "cosine_warm";
    }
    return "?";
}

}  // namespace qnas::supercircuit

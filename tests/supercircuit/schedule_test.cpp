#include "supercircuit/schedule.h"

#include <cmath>
#include <numbers>

#include <catch2/catch.hpp>

#include "sim/error.h"

using namespace qnas::supercircuit;

TEST_CASE("schedule: cosine is CosineAnnealingLR with eta_min 0", "[supercircuit][schedule]") {
    Schedule s{ScheduleKind::Cosine, 5e-3, 200, 0, 0.0};
    CHECK(learning_rate(s, 0) == 5e-3);
    CHECK(learning_rate(s, 100) == Approx(2.5e-3).epsilon(1e-12));
    CHECK(learning_rate(s, 50) == Approx(5e-3 * (1 + std::sqrt(0.5)) / 2).epsilon(1e-12));
    CHECK(learning_rate(s, 199) == Approx(5e-3 * (1 + std::cos(std::numbers::pi * 199 / 200)) / 2).epsilon(1e-12));
    for (int e = 1; e < 200; ++e) CHECK(learning_rate(s, e) < learning_rate(s, e - 1));
}

TEST_CASE("schedule: cosine_warm warms up linearly then anneals to min_lr", "[supercircuit][schedule]") {
    Schedule s{ScheduleKind::CosineWarm, 5e-3, 200, 30, 1e-3};
    CHECK(learning_rate(s, 0) == Approx(1e-3));
    CHECK(learning_rate(s, 15) == Approx(3e-3).epsilon(1e-12));
    CHECK(learning_rate(s, 29) == Approx(1e-3 + 4e-3 * 29 / 30).epsilon(1e-12));
    CHECK(learning_rate(s, 30) == Approx(5e-3).epsilon(1e-12));
    // Half-way through the cosine part (epochs 30..199, 169 intervals).
    const double mid = 30 + 169 / 2.0;
    CHECK(learning_rate(s, 114) ==
          Approx(1e-3 + 4e-3 * (1 + std::cos(std::numbers::pi * (114 - 30) / 169.0)) / 2).epsilon(1e-12));
    CHECK(mid > 114);
    CHECK(learning_rate(s, 199) == Approx(1e-3).epsilon(1e-12));
    for (int e = 31; e < 200; ++e) CHECK(learning_rate(s, e) < learning_rate(s, e - 1));
}

TEST_CASE("schedule: constant and names", "[supercircuit][schedule]") {
    Schedule s{ScheduleKind::Constant, 0.1, 10, 0, 0};
    CHECK(learning_rate(s, 7) == 0.1);
    CHECK(parse_schedule_kind("cosine_warm") == ScheduleKind::CosineWarm);
    CHECK(std::string(schedule_kind_name(ScheduleKind::Cosine)) == "cosine");
    CHECK_THROWS_AS(parse_schedule_kind("step"), qnas::Error);
}

#include "sim/parameter_shift.h"

#include <string>
#include <vector>

#include "sim/error.h"
#include "sim/gates.h"

namespace qnas::sim {

namespace {

std::vector<bool> selection_mask(const Circuit& c, std::span<const int> selected) {
    std::vector<bool> mask(static_cast<std::size_t>(c.n_trainable), selected.empty());
    for (int i : selected) {
        if (i < 0 || i >= c.n_trainable)
            throw Error("parameter shift: selected index " + std::to_string(i) + " outside 0.." +
                        std::to_string(c.n_trainable - 1));
        mask[static_cast<std::size_t>(i)] = true;
    }
    return mask;
}

// Calls f(op index, angle index, param) for every selected trainable occurrence.
template <class F>
void for_each_occurrence(const Circuit& c, const std::vector<bool>& mask, F&& f) {
    for (std::size_t o = 0; o < c.ops.size(); ++o) {
        const GateInfo& g = gate_info(c.ops[o].kind);
        for (int j = 0; j < g.n_params; ++j) {
            const Param& p = c.ops[o].params[static_cast<std::size_t>(j)];
            if (p.source != Param::Source::Trainable || p.scale == 0.0) continue;
            if (!mask[static_cast<std::size_t>(p.index)]) continue;
            f(o, j, p, g.shift_rules[static_cast<std::size_t>(j)]);
        }
    }
}

}  // namespace

std::int64_t parameter_shift_cost(const Circuit& c, std::span<const int> selected) {
    std::int64_t n = 0;
    for_each_occurrence(c, selection_mask(c, selected),
                        [&](std::size_t, int, const Param&, const std::vector<ShiftTerm>& rule) {
                            n += static_cast<std::int64_t>(rule.size());
                        });
    return n;
}

ParameterShiftResult parameter_shift_gradient(const Circuit& c, const Eigen::MatrixXd& W,
                                              const ExpectationEvaluator& evaluate, std::span<const int> selected) {
    validate(c);
    ParameterShiftResult res;
    res.grad = Eigen::VectorXd::Zero(c.n_trainable);
    Circuit shifted = c;  // one copy; each occurrence's offset is shifted and restored in place
    for_each_occurrence(c, selection_mask(c, selected),
                        [&](std::size_t o, int j, const Param& p, const std::vector<ShiftTerm>& rule) {
                            double d = 0.0;
                            for (const ShiftTerm& t : rule) {
                                shifted.ops[o].params[static_cast<std::size_t>(j)].offset = p.offset + t.shift;
                                const Eigen::MatrixXd e = evaluate(shifted);
                                ++res.n_evaluations;
                                if (e.rows() != W.rows() || e.cols() != W.cols())
                                    throw Error("parameter shift: evaluator returned " + std::to_string(e.rows()) +
                                                "×" + std::to_string(e.cols()) + " expectations, W is " +
                                                std::to_string(W.rows()) + "×" + std::to_string(W.cols()));
                                d += t.coeff * W.cwiseProduct(e).sum();
                            }
                            shifted.ops[o].params[static_cast<std::size_t>(j)].offset = p.offset;
                            res.grad[p.index] += p.scale * d;
                        });
    return res;
}

ExpectationEvaluator batch_evaluator(std::vector<PauliTerm> observables, std::vector<double> theta,
                                     std::vector<double> X, std::int64_t batch, BatchOptions opts) {
    return [obs = std::move(observables), theta = std::move(theta), X = std::move(X), batch, opts](const Circuit& c) {
        return batch_expectations(BatchProgram::compile(c, obs), theta, X, batch, opts);
    };
}

}  // namespace qnas::sim

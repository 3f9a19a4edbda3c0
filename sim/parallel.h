// Parallel loops over independent, index-addressed tasks. Callers write each task's result to
// its own slot and reduce the slots in index order afterwards, so results never depend on the
// thread count or the schedule. Parallelism is a parameter (no global pool setting).
//
// The backend is oneTBB. Under ThreadSanitizer (QNAS_SANITIZE=thread) it is plain std::thread:
// Debian's libtbb is not instrumented, so TSan cannot see its synchronisation and would report
// false races inside TBB while hiding nothing of ours.
#pragma once

#include <cstddef>
#include <functional>

namespace qnas {

struct Parallelism {
    int n_threads = 0;  // 0: all threads of the current TBB arena; 1: run in the calling thread
};

// Calls fn(i) for every i in [0, n_tasks), possibly concurrently. Exceptions thrown by fn are
// rethrown in the caller (the first one wins; the others are dropped).
void parallel_for(std::size_t n_tasks, const Parallelism& par, const std::function<void(std::size_t)>& fn);

// Number of threads `par` can use.
int thread_count(const Parallelism& par);

}  // namespace qnas

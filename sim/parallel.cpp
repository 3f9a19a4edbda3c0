#include "sim/parallel.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__SANITIZE_THREAD__)
#define QNAS_PARALLEL_STD_THREADS 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define QNAS_PARALLEL_STD_THREADS 1
#endif
#endif

#ifndef QNAS_PARALLEL_STD_THREADS
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#endif

namespace qnas {

int thread_count(const Parallelism& par) {
    if (par.n_threads > 0) return par.n_threads;
#ifdef QNAS_PARALLEL_STD_THREADS
    return static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
#else
    return tbb::this_task_arena::max_concurrency();
#endif
}

void parallel_for(std::size_t n_tasks, const Parallelism& par, const std::function<void(std::size_t)>& fn) {
    if (n_tasks == 0) return;
    if (par.n_threads == 1 || n_tasks == 1) {
        for (std::size_t i = 0; i < n_tasks; ++i) fn(i);
        return;
    }
#ifdef QNAS_PARALLEL_STD_THREADS
    const std::size_t n_workers = std::min<std::size_t>(static_cast<std::size_t>(thread_count(par)), n_tasks);
    std::atomic<std::size_t> next{0};
    std::exception_ptr error;
    std::mutex error_mutex;
    auto worker = [&] {
        for (std::size_t i = next.fetch_add(1); i < n_tasks; i = next.fetch_add(1)) {
            try {
                fn(i);
            } catch (...) {
                std::lock_guard<std::mutex> lock(error_mutex);
                if (!error) error = std::current_exception();
            }
        }
    };
    std::vector<std::thread> threads;
    for (std::size_t t = 1; t < n_workers; ++t) threads.emplace_back(worker);
    worker();
    for (auto& t : threads) t.join();
    if (error) std::rethrow_exception(error);
#else
    auto body = [&] {
        tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n_tasks, 1),
                          [&](const tbb::blocked_range<std::size_t>& r) {
                              for (std::size_t i = r.begin(); i != r.end(); ++i) fn(i);
                          });
    };
    if (par.n_threads <= 0) {
        body();
    } else {
        tbb::task_arena arena(par.n_threads);
        arena.execute(body);
    }
#endif
}

}  // namespace qnas

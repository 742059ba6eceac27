// Work in forked child processes, for the parts of `gen` that are independent given the
// exploration: Z3 contexts are neither thread-safe nor cheap to copy, while a fork shares
// the parent's context copy-on-write, so a child can use every expression the parent
// built. Each child runs one task, writes its result bytes to a pipe and `_exit`s (no
// destructors, no atexit handlers: the parent's objects are the parent's to free).
//
// Determinism: a task's result must depend only on the task and the parent's state at
// the fork, never on which other tasks ran in the same child or on `jobs` -- every task
// gets a fresh child, so it does.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace sp::gen {

// Runs work(k) for k in [0, tasks) in forked children, at most `jobs` at a time, and
// stores what each returned in (*results)[k]. False with *error set when a child could
// not be started, died or failed (its exception's message is in the error).
bool fork_map(int tasks, int jobs, const std::function<std::string(int)>& work,
              std::vector<std::string>* results, std::string* error);

// The CPUs this process may run on (at least 1).
int available_cpus();

}  // namespace sp::gen

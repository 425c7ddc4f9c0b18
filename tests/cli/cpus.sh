# cpus.sh - the default -threads is the CPUs this process may run on (its
# affinity mask, as taskset, SLURM and cgroup cpusets set it), and more
# threads than that work but warn once.
. "$ROOT/tests/cli/lib.sh"

corpus=$ROOT/data/synthetic.txt
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then
    run taskset -c 0 "$W2V" train -input "$corpus" -output "$T/v.bin" -size 4 -iter 1 -debug 1
    expect taskset_one_cpu_one_thread 0 "training: skip-gram, loss ns, 1 thread,"
    check taskset_default_gives_no_warning "! grep -q warning '$T/err'"
    run taskset -c 0 "$W2V" train -input "$corpus" -output "$T/v.bin" -size 4 -iter 1 -threads 3 -debug 1
    expect threads_above_allotment_warn 0 "w2v train: warning: -threads 3 is more than the 1 CPU this process may run on"
    check threads_above_allotment_still_used "[ \$(grep -c 'warning: -threads' '$T/err') -eq 1 ] && grep -q '3 threads' '$T/err'"
    run taskset -c 0 "$W2V" vocab -input "$corpus" -output "$T/voc" -threads 2
    expect vocab_threads_above_allotment_warn 0 "w2v vocab: warning: -threads 2 is more than the 1 CPU"
    cpus=$(grep -c '^processor' /proc/cpuinfo 2>/dev/null || echo 1)
    if [ "$cpus" -ge 2 ] && taskset -c 0,1 true 2>/dev/null; then
        run taskset -c 0,1 "$W2V" train -input "$corpus" -output "$T/v.bin" -size 4 -iter 1 -debug 1
        expect taskset_two_cpus_two_threads 0 "loss ns, 2 threads,"
    else
        skip taskset_two_cpus_two_threads "fewer than 2 CPUs"
    fi
else
    skip taskset_one_cpu_one_thread "no taskset here"
fi
run "$W2V" train -input "$corpus" -output "$T/v.bin" -size 4 -iter 1 -threads 1 -quiet
check threads_within_allotment_no_warning "[ $rc -eq 0 ] && [ ! -s '$T/err' ]"
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then
    "$W2V" train -input "$corpus" -output "$T/v.txt" -size 10 -iter 1 -threads 1 -quiet
    run taskset -c 0 "$W2V" eval analogy -vectors "$T/v.txt" -questions "$ROOT/data/synthetic-questions.txt" -threads 2
    expect eval_analogy_threads_above_allotment_warn 0 "w2v eval analogy: warning: -threads 2 is more than the 1 CPU"
fi

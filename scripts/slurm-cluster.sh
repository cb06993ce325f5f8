#!/bin/bash
# A throw-away single-node Slurm cluster on this machine, for the Slurm test
# (tests/slurm/test_slurm.sh) and for trying `tinysim sweep --slurm` by hand.
#
#   scripts/slurm-cluster.sh start DIR [CPUS]   starts munged, slurmctld and slurmd with their
#                                              state, spool, logs and sockets under DIR (a new
#                                              or empty folder); declares CPUS (default 8) CPUs
#   scripts/slurm-cluster.sh stop DIR           cancels the cluster's jobs and stops the three
#                                              daemons by the process ids recorded in DIR
#   export SLURM_CONF=DIR/slurm.conf            for sbatch, squeue, scancel, sinfo
#
# Needs root and Debian's slurm-wlm and munge (scripts/install-deps.sh slurm-wlm munge). No
# systemd: munged runs as the munge user on its own socket and key under DIR; slurmctld and
# slurmd run in the foreground (-D) as root, on two free TCP ports, with
# proctrack/linuxproc and task/none (no cgroups) and SlurmdParameters=config_overrides (the
# node may declare more CPUs than the machine has). Nothing outside DIR is written, so two
# clusters (two test runs) can run side by side. Exits non-zero with one line when a daemon
# does not come up (its log is printed).
set -euo pipefail

usage() {
    echo "usage: $0 start DIR [CPUS] | stop DIR" >&2
    exit 2
}

# A TCP port nobody listens on, from a range away from Slurm's defaults (6817-6819).
free_port() {
    local port used
    used=$(awk 'NR > 1 { split($2, a, ":"); print strtonum("0x" a[2]) }' /proc/net/tcp /proc/net/tcp6 2>/dev/null | sort -u)
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 20000))
        if ! grep -qx "$port" <<<"$used"; then
            echo "$port"
            return
        fi
    done
    echo "slurm-cluster: no free TCP port found" >&2
    exit 1
}

write_conf() {
    local dir=$1 cpus=$2 host
    host=$(hostname -s)
    cat >"$dir/slurm.conf" <<EOF
# written by scripts/slurm-cluster.sh: a single-node cluster for tests
ClusterName=tinysim-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
# batch jobs are scheduled at once, not up to 3 s later (the default batch_sched_delay): the
# collect job starts as soon as the array has ended
SchedulerParameters=batch_sched_delay=0
MpiDefault=none
ReturnToService=2
SlurmdParameters=config_overrides
MinJobAge=300
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
}

start_munge() {
    local dir=$1
    mkdir -p "$dir/munge"
    head -c 1024 /dev/urandom >"$dir/munge/munge.key"
    chown -R munge:munge "$dir/munge"
    chmod 755 "$dir/munge" # the socket must be reachable by every user
    chmod 400 "$dir/munge/munge.key"
    # munged (as munge) must reach its folder, and checks that no folder above its socket is
    # writable by others
    chmod 755 "$dir"
    setpriv --reuid=munge --regid=munge --init-groups \
        munged --foreground --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
        --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" \
        --seed-file="$dir/munge/munged.seed" >>"$dir/munge.out" 2>&1 &
    echo $! >"$dir/munged.daemon"
    for _ in $(seq 1 50); do
        [ -S "$dir/munge/munge.socket" ] && return
        alive "$(cat "$dir/munged.daemon")" || break
        sleep 0.1
    done
    fail "$dir" "munged did not create its socket" "$dir/munge.out" "$dir/munge/munged.log"
}

# fail DIR WHAT LOG...: prints the logs, stops what started, exits 1.
fail() {
    local dir=$1 what=$2
    shift 2
    for log in "$@"; do
        [ -f "$log" ] && tail -n 20 "$log" >&2
    done
    stop "$dir"
    echo "slurm-cluster: $what" >&2
    exit 1
}

start() {
    local dir=$1 cpus=${2:-8} state=""
    mkdir -p "$dir/state" "$dir/spool"
    dir=$(cd "$dir" && pwd)
    write_conf "$dir" "$cpus"
    export SLURM_CONF=$dir/slurm.conf
    start_munge "$dir"
    slurmctld -D -f "$dir/slurm.conf" >>"$dir/slurmctld.out" 2>&1 &
    echo $! >"$dir/slurmctld.daemon"
    slurmd -D -f "$dir/slurm.conf" -N "$(hostname -s)" >>"$dir/slurmd.out" 2>&1 &
    echo $! >"$dir/slurmd.daemon"
    for _ in $(seq 1 150); do
        state=$(sinfo -h -o %T 2>/dev/null || true)
        [ "$state" = idle ] && return
        sleep 0.1
    done
    fail "$dir" "the node is not idle after 15 s (state '$state')" "$dir/slurmctld.log" \
        "$dir/slurmd.log" "$dir/slurmctld.out" "$dir/slurmd.out"
}

# alive PID: the process runs (a zombie, not reaped yet by whoever adopted it, does not).
alive() {
    local st
    st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
    [[ $st != Z* ]]
}

# Stops the daemons this script started (their pids in DIR/*.daemon), jobs first.
stop() {
    local dir=$1 pid
    export SLURM_CONF=$dir/slurm.conf
    if [ -f "$dir/slurmctld.daemon" ] && command -v scancel >/dev/null; then
        timeout 5 scancel --user="$(id -un)" >/dev/null 2>&1 || true
        for _ in $(seq 1 30); do
            [ -z "$(timeout 5 squeue -h 2>/dev/null || true)" ] && break
            sleep 0.1
        done
    fi
    for d in slurmd slurmctld munged; do
        [ -f "$dir/$d.daemon" ] || continue
        pid=$(cat "$dir/$d.daemon")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do
            alive "$pid" || break
            sleep 0.1
        done
        alive "$pid" && kill -9 "$pid" 2>/dev/null
        rm -f "$dir/$d.daemon"
    done
}

[ $# -ge 2 ] || usage
case $1 in
start) start "$2" "${3:-8}" ;;
stop) stop "$2" ;;
*) usage ;;
esac

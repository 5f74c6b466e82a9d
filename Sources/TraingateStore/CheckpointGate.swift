/// Keeps the background checkpointer out of the race SQLite calls the WAL-reset bug
/// (https://sqlite.org/wal.html#walresetbug; SQLite 3.7.0 to 3.51.2, which includes Debian 12's
/// 3.40.1): a PASSIVE checkpoint that *starts* on a log already wholly copied back, while another
/// connection's commit rewinds that log, can miss the rewind and record a wrong count of copied
/// frames; a later checkpoint then skips frames of committed transactions, and readers find the
/// database malformed (the error `traingate audit verify` once answered next to a live server).
///
/// The gate lets a round start only when the log may hold frames not yet copied: after a round
/// that left the log wholly copied, the next waits until another connection has committed
/// (`PRAGMA data_version` moved). A commit after a whole copy either rewound the log or grew it,
/// so the log then holds uncopied frames, and no rewind can happen until a checkpoint copies
/// them: only this service's passes do, one at a time, and an erasure's truncation, which runs
/// on the writer's queue (no commit races it) under the same lock as the passes and may leave
/// the log wholly copied: a truncation seen closes the gate as a whole copy does. Skipping a
/// round costs nothing: there is nothing to copy.
struct CheckpointGate: Sendable, Equatable {
    /// The connection's `data_version` when a round last left the log wholly copied; nil while
    /// the log holds frames still to copy.
    private var wholeCopySeenAt: Int?
    /// Truncations attempted when the gate last looked (`AppDatabase.walTruncationAttempts`).
    private var truncationsSeen = 0

    /// Open at first. Before this service's first round nothing in this process has
    /// checkpointed: a log left by a crash is recovered with nothing marked copied, and one left
    /// by a clean stop or an erasure's truncation is empty, which no commit rewinds.
    init() {
        wholeCopySeenAt = nil
    }

    /// Whether a checkpoint may start now, given the checkpointing connection's `data_version`.
    func mayStart(dataVersion: Int) -> Bool {
        wholeCopySeenAt.map { $0 != dataVersion } ?? true
    }

    /// Notes the truncations attempted so far: a new one may have copied the whole log.
    mutating func truncations(_ attempts: Int, dataVersion: Int) {
        guard attempts != truncationsSeen else { return }
        truncationsSeen = attempts
        wholeCopySeenAt = dataVersion
    }

    /// Records how a round left the log: `logFrames` in it, `copiedFrames` of them copied back,
    /// `dataVersion` read after the round.
    mutating func finished(logFrames: Int, copiedFrames: Int, dataVersion: Int) {
        wholeCopySeenAt = copiedFrames >= logFrames ? dataVersion : nil
    }
}

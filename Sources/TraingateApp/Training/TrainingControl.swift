import Synchronization
import TraingateStore

/// What the HTTP side and the training thread share: cancellation requests, the shutdown flag,
/// and the running job's live progress (fresher than the row, which is written once per epoch).
final class TrainingControl: Sendable {
    private struct State {
        /// Jobs asked to stop, with the key that asked (nil in development mode).
        var cancelRequested: [String: String?] = [:]
        var shuttingDown = false
        /// Jobs this instance must stop because it no longer leads training.
        var abandoned: Set<String> = []
        var live: [String: (progress: TrainingProgress, images: Int)] = [:]
    }

    private let state = Mutex(State())

    func requestCancel(_ jobID: String, by apiKey: String?) { state.withLock { $0.cancelRequested[jobID] = .some(apiKey) } }

    /// The key that asked to cancel a job, for its audit entry.
    func cancelledBy(_ jobID: String) -> String? { state.withLock { $0.cancelRequested[jobID] ?? nil } }

    func beginShutdown() { state.withLock { $0.shuttingDown = true } }

    /// Stops a job at its next step boundary because another instance leads training now (its
    /// end is recorded as failed, unless the new lead already failed it as interrupted).
    func abandon(_ jobID: String) { state.withLock { _ = $0.abandoned.insert(jobID) } }

    /// Whether a job was stopped because another instance leads training now.
    func isAbandoned(_ jobID: String) -> Bool { state.withLock { $0.abandoned.contains(jobID) } }

    var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    /// Why the job must stop at the next step boundary, or nil to go on.
    func stopReason(_ jobID: String) -> TrainingJob.Status? {
        state.withLock { state in
            if state.cancelRequested[jobID] != nil { return .cancelled }
            return state.shuttingDown || state.abandoned.contains(jobID) ? .failed : nil
        }
    }

    func report(_ jobID: String, progress: TrainingProgress, images: Int) {
        state.withLock { $0.live[jobID] = (progress, images) }
    }

    func finished(_ jobID: String) {
        state.withLock { state in
            state.live[jobID] = nil
            state.cancelRequested[jobID] = nil
            state.abandoned.remove(jobID)
        }
    }

    /// The job as stored, with the live progress of a running one.
    func current(_ job: TrainingJob) -> TrainingJob {
        guard job.status == .running, let live = state.withLock({ $0.live[job.id] }) else { return job }
        var current = job
        current.progress = live.progress
        current.images = live.images
        return current
    }
}

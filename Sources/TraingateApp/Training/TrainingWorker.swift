import Foundation
#if canImport(Glibc)
    import Glibc
#endif
import Logging
import ServiceLifecycle
import StrictDocuments
import Tensors
import TraingateStore

/// Runs queued training jobs one at a time, in submission order, each on a thread of its own
/// (BLAS work must not hold an event loop or a cooperative-pool thread). At shutdown the running
/// job stops at its next step boundary and is recorded as failed; queued jobs stay queued.
///
/// With several instances on one database (PostgreSQL) only the training lead runs jobs. The
/// worker then looks at the store every `SharedStore.pollInterval`: for jobs queued through other
/// instances, for cancel requests they received, and for a change of lead. While it leads and is
/// idle it fails any job still marked running (left by a lead that died); on losing the lead, it
/// abandons its running job.
final class TrainingWorker: Service, Sendable {
    /// How a worker shares its store with other instances (nil: it is the only one).
    struct SharedStore: Sendable {
        let lead: any TrainingLead
        let jobs: any SharedTrainingJobs
        let pollInterval: Duration
    }

    let store: any TrainingJobStore
    let control: TrainingControl
    private let execution: TrainingJobExecution
    private let shared: SharedStore?
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let nice: Int32

    init(
        store: any TrainingJobStore, shared: SharedStore? = nil, blasThreads: Int, maxImages: Int, nice: Int, logger: Logger,
        metrics: TrainingMetrics? = nil, now: @escaping @Sendable () -> Date
    ) {
        self.nice = Int32(nice)
        self.store = store
        self.shared = shared
        self.logger = logger
        self.now = now
        control = TrainingControl()
        // Steps reuse tens of MB of buffers; keeping freed ones saves the page faults (docs/training.md).
        AllocatorTuning.keepLargeBuffers()
        // OpenBLAS's thread count is one setting for the whole process (training and search).
        BLAS.threads = blasThreads
        execution = TrainingJobExecution(
            store: store, control: control, logger: logger, now: now, maxImages: maxImages, metrics: metrics)
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Called after a job is queued, so the worker does not wait for its next look.
    func jobQueued() { wake.yield() }

    /// Asks the running job `id` to stop at its next step boundary, wherever it runs.
    /// - Returns: false when, on a shared store, the job turned out to have ended meanwhile.
    func requestCancel(_ id: String, by apiKey: String?) async throws -> Bool {
        control.requestCancel(id, by: apiKey)
        return try await shared?.jobs.requestCancel(id, by: apiKey) ?? true
    }

    func run() async throws {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await withDiscardingTaskGroup { tasks in
                    if let shared {
                        tasks.addTask { [wake] in
                            while (try? await Task.sleep(for: shared.pollInterval)) != nil { wake.yield() }
                        }
                    }
                    await runJobs()
                    tasks.cancelAll()
                }
            } onGracefulShutdown: { [control, wake] in
                control.beginShutdown()
                wake.finish()
            }
        } onCancel: { [control, wake] in
            // The service group was cancelled (a service failed): stop as at shutdown, so the job
            // ends before the database closes.
            control.beginShutdown()
            wake.finish()
        }
    }

    private var isLeader: Bool { shared?.lead.isLeader ?? true }

    private func runJobs() async {
        var pending = wakeups.makeAsyncIterator()
        // A sole instance failed its interrupted jobs before it started serving.
        var leading = shared == nil
        while !control.isShuttingDown {
            if isLeader {
                if !leading {
                    leading = true
                    logger.notice("this instance leads training now")
                }
                // While the lead is idle, no job should be running: one that is was left by a
                // lead that died, or its end could not be recorded. Looked for at every look,
                // so a sweep that fails is retried.
                if let shared, (try? await shared.jobs.anyJobRunning()) ?? true { await failInterrupted() }
                while !control.isShuttingDown, isLeader, let job = await nextOrRetry() { await runOnTrainingThread(job) }
            } else if leading {
                leading = false
                logger.notice("another instance leads training now")
            }
            // Woken by a new job or the next look, or by the end of the stream at shutdown.
            guard await pending.next() != nil else { break }
        }
    }

    /// Fails the jobs a lead that died left running (on the training thread: the store's
    /// synchronous side blocks it).
    private func failInterrupted() async {
        await onTrainingThread { [store, logger, now] in
            do {
                for job in try store.failInterrupted(at: now()) {
                    logger.warning("training job interrupted by the last lead marked failed", metadata: ["job.id": "\(job)"])
                }
            } catch {
                logger.error("could not fail the jobs the last lead left running", metadata: ["error": "\(error)"])
            }
        }
    }

    /// The next job; on a storage error, logged, another look after a pause (a job left queued
    /// must not wait for the next POST).
    private func nextOrRetry() async -> TrainingJob? {
        do {
            // The oldest queued job, marked running (with its audit entry).
            return try await store.startNext(at: now())
        } catch {
            logger.error("could not take the next training job", metadata: ["error": "\(error)"])
            try? await Task.sleep(for: .seconds(5))
            wake.yield()
            return nil
        }
    }

    private func runOnTrainingThread(_ job: TrainingJob) async {
        logger.info("training job started", metadata: ["job.id": "\(job.id)"])
        await withDiscardingTaskGroup { tasks in
            if let shared { tasks.addTask { await self.watch(job, shared) } }
            await onTrainingThread { [execution] in execution.run(job) }
            tasks.cancelAll()
        }
    }

    /// While `job` runs: passes on cancel requests other instances recorded, and abandons the
    /// job if this instance loses the lead.
    private func watch(_ job: TrainingJob, _ shared: SharedStore) async {
        while (try? await Task.sleep(for: shared.pollInterval)) != nil {
            guard shared.lead.isLeader else {
                logger.warning("training lead lost: abandoning the running job", metadata: ["job.id": "\(job.id)"])
                control.abandon(job.id)
                return
            }
            if let request = try? await shared.jobs.cancelRequest(of: job.id) {
                control.requestCancel(job.id, by: request.apiKey)
            }
        }
    }

    /// Runs `body` on a thread of its own at the configured nice value, and waits for it.
    private func onTrainingThread(_ body: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let thread = Thread { [logger, nice] in
                // Nice 19 by default (Linux keeps nice per thread; 0 is this thread): when cores are
                // contended, admissions win and training takes what is left; on an idle machine it
                // still gets whole cores. OpenBLAS's own helper threads (blas_threads > 1) keep nice 0.
                if setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice) != 0 {
                    logger.warning("could not lower the training thread's priority", metadata: ["errno": "\(errno)"])
                }
                // Named for `ps -L` and `top -H` (15 characters at most).
                Thread.current.name = "tg-training"
                body()
                done.resume()
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
    }
}

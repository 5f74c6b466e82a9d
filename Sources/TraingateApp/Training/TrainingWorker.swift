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
final class TrainingWorker: Service, Sendable {
    let store: any TrainingJobStore
    let control: TrainingControl
    private let execution: TrainingJobExecution
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let nice: Int32

    init(
        store: any TrainingJobStore, blasThreads: Int, maxImages: Int, nice: Int, logger: Logger, metrics: TrainingMetrics? = nil,
        now: @escaping @Sendable () -> Date
    ) {
        self.nice = Int32(nice)
        self.store = store
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

    func run() async throws {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                var pending = wakeups.makeAsyncIterator()
                while !control.isShuttingDown {
                    while !control.isShuttingDown, let job = await nextOrRetry() { await runOnTrainingThread(job) }
                    // Woken by a new job, or by the end of the stream at shutdown.
                    guard await pending.next() != nil else { break }
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
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let thread = Thread { [execution, logger, nice] in
                // Nice 19 by default (Linux keeps nice per thread; 0 is this thread): when cores are
                // contended, admissions win and training takes what is left; on an idle machine it
                // still gets whole cores. OpenBLAS's own helper threads (blas_threads > 1) keep nice 0.
                if setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice) != 0 {
                    logger.warning("could not lower the training thread's priority", metadata: ["errno": "\(errno)"])
                }
                // Named for `ps -L` and `top -H` (15 characters at most).
                Thread.current.name = "tg-training"
                execution.run(job)
                done.resume()
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
    }
}

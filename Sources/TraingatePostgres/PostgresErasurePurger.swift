/// Runs `PostgresPhysicalErasure` once for as many erasures as commit while it runs: each
/// erasure waits for a purge that started after it committed, but erasures that commit during
/// one purge share the next, so a burst of erasures costs two checkpoints, not one each.
actor PostgresErasurePurger {
    private let purge: @Sendable () async -> Void
    /// Erasures that asked, and the count the last finished purge covered.
    private var requested = 0
    private var covered = 0
    private var running = false
    private var waiting: [(erasure: Int, continuation: CheckedContinuation<Void, Never>)] = []

    init(_ purge: @escaping @Sendable () async -> Void) {
        self.purge = purge
    }

    /// Erasures that have asked so far.
    var asked: Int { requested }

    /// Returns once a purge that started after this call has finished.
    func afterCommit() async {
        requested += 1
        let erasure = requested
        if !running {
            running = true
            Task { await self.purgeWhileAsked() }
        }
        await withCheckedContinuation { waiting.append((erasure, $0)) }
    }

    private func purgeWhileAsked() async {
        while covered < requested {
            let covering = requested
            await purge()
            covered = covering
            let done = waiting.filter { $0.erasure <= covered }
            waiting.removeAll { $0.erasure <= covered }
            for waiter in done { waiter.continuation.resume() }
        }
        running = false
    }
}

import Synchronization

/// A flag one task raises and others poll: an `Atomic` that escaping closures can share.
final class Latch: Sendable {
    private let raised = Atomic<Bool>(false)

    var isRaised: Bool { raised.load(ordering: .acquiring) }

    func raise() { raised.store(true, ordering: .releasing) }
}

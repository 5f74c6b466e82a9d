import Synchronization

/// Subject keys the writer used in committed admissions, so that the next admission of the same
/// subject can key its pseudonym and seal its facts before its write, on its own task, instead
/// of on the one writer thread every decision waits for (docs/benchmarks.md, "Admissions").
///
/// The write still decides: it uses what was prepared only if the key it reads is the one the
/// entry was made from (the same wrapped bytes), and otherwise does the work itself, so a stale
/// entry can cost time but never a wrong entry. What the cache must not do is outlive an
/// erasure: crypto-shredding means the key is gone, from memory too. `forget` removes the
/// subject's entry and moves a generation on, and an entry learned by a write that began
/// before (whose commit may have raced the erasure) is dropped instead of stored.
package final class SubjectKeyCache: Sendable {
    package struct Entry: Sendable {
        /// The key as `subject_key.wrapped` holds it.
        package let wrapped: [UInt8]
        package let key: SubjectKey

        package init(wrapped: [UInt8], key: SubjectKey) {
            self.wrapped = wrapped
            self.key = key
        }
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var generation: UInt64 = 0
    }

    /// At most this many subjects (about 200 bytes each); past it, an arbitrary entry makes room.
    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    /// The subject's entry, and the generation to pass to `remember` after the write.
    package func entry(forLookup lookup: String) -> (entry: Entry?, generation: UInt64) {
        state.withLock { ($0.entries[lookup], $0.generation) }
    }

    /// Keeps what a committed write used, unless something was forgotten since `generation`.
    package func remember(_ entry: Entry, forLookup lookup: String, generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries[lookup] == nil, state.entries.count >= capacity, let any = state.entries.keys.first {
                state.entries[any] = nil
            }
            state.entries[lookup] = entry
        }
    }

    /// After an erasure: the subject's key leaves memory as it left the database.
    package func forget(lookup: String) {
        state.withLock { state in
            state.entries[lookup] = nil
            state.generation &+= 1
        }
    }

    /// After an erasure another process made, known only by its subject's bucket: every key
    /// whose lookup `matches` leaves memory.
    package func forget(where matches: (String) -> Bool) {
        state.withLock { state in
            state.entries = state.entries.filter { !matches($0.key) }
            state.generation &+= 1
        }
    }

    /// When erasures elsewhere may have gone unheard (`PostgresErasureNotices` lost its
    /// connection): every key leaves memory, and writes that began before keep nothing.
    package func forgetAll() {
        forget { _ in true }
    }

    var count: Int { state.withLock { $0.entries.count } }

    package func contains(lookup: String) -> Bool { state.withLock { $0.entries[lookup] != nil } }
}

import Foundation

/// What the engine needs from outside the request: the time, and what the store knows about
/// the subject and the content. Passing these in keeps the engine pure and deterministic.
public struct EvaluationEnvironment: Hashable, Sendable {
    public var now: Date
    /// The subject objected (Art. 21) to the use of their photos.
    public var objectionRegistered: Bool
    /// The content matches content erased under Art. 17.
    public var contentErased: Bool

    public init(now: Date, objectionRegistered: Bool = false, contentErased: Bool = false) {
        self.now = now
        self.objectionRegistered = objectionRegistered
        self.contentErased = contentErased
    }
}

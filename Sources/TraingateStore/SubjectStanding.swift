/// What the store knows that can stop an admission regardless of its body.
public struct SubjectStanding: Hashable, Sendable {
    public let objectionRegistered: Bool
    public let contentErased: Bool

    /// No objection, content not erased.
    public static let clear = SubjectStanding(objectionRegistered: false, contentErased: false)

    public init(objectionRegistered: Bool, contentErased: Bool) {
        self.objectionRegistered = objectionRegistered
        self.contentErased = contentErased
    }
}

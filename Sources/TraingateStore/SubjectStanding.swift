/// What the store knows that can stop an admission regardless of its body.
public struct SubjectStanding: Hashable, Sendable {
    public let objectionRegistered: Bool
    public let contentErased: Bool
}

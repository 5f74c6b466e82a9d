import Foundation
import PolicyEngine

extension EvaluationEnvironment {
    /// The engine's environment at `now` for a subject in `standing`.
    public init(now: Date, standing: SubjectStanding) {
        self.init(now: now, objectionRegistered: standing.objectionRegistered, contentErased: standing.contentErased)
    }
}

import Imaging
import PolicyEngine

extension RightsReservation {
    /// A reservation intake found in the image file, as the policy engine reads it.
    init(_ found: TrainingReservation) {
        self.init(signal: found.signal, location: found.location, generativeOnly: found.generativeOnly)
    }
}

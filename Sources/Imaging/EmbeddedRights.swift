/// What the image file says about its own use for training: the reservations found, and notes
/// on metadata that was there but could not be read (too large, malformed, hostile), which is
/// ignored rather than failing the upload.
public struct EmbeddedRights: Sendable, Hashable {
    public var reservations: [TrainingReservation] = []
    public var notes: [String] = []

    public init(reservations: [TrainingReservation] = [], notes: [String] = []) {
        self.reservations = reservations
        self.notes = notes
    }
}

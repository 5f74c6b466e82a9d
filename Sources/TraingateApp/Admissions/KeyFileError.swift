/// The master key could not be loaded; the service does not start without it.
struct KeyFileError: Error, CustomStringConvertible {
    let message: String

    var description: String { message }
}

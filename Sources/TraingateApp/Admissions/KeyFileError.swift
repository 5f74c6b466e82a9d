/// The master key could not be loaded; the service does not start without it.
public struct KeyFileError: Error, CustomStringConvertible {
    let message: String

    public var description: String { message }
}

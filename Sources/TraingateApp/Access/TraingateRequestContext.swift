import Hummingbird
import HummingbirdAuth
import NIOCore

/// The request context of every route: Hummingbird's core storage, the caller once its key was
/// checked (hummingbird-auth's `identity`), and the peer's address (for `/metrics` opened to a
/// scraper on loopback).
public struct TraingateRequestContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Caller?
    /// Nil when there is no socket (HummingbirdTesting's router client).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        remoteAddress = source.channel.remoteAddress
    }
}

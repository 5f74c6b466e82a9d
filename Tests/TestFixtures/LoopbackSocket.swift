import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// A TCP connection to 127.0.0.1, as a plain descriptor, for tests that speak raw bytes to a
/// server (or none at all).
public enum LoopbackSocket {
    public struct Failure: Error {
        public let step: String
    }

    /// A connected descriptor; the caller closes it.
    /// - Parameter receiveTimeout: seconds a `recv` may wait before it fails, if any.
    public static func connect(port: Int, receiveTimeout: Int? = nil) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(step: "socket") }
        if let receiveTimeout {
            var timeout = timeval(tv_sec: receiveTimeout, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        // A connect completes in the kernel's backlog even when the server accepts no more.
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw Failure(step: "connect")
        }
        return fd
    }
}

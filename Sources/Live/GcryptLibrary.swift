import CGcrypt

/// libgcrypt, initialized once for the process before its first use (the library asks
/// every program to do so). Message stream encryption is its only user: RC4 and the
/// Diffie–Hellman arithmetic come from it rather than from code of our own
/// (docs/decisions.md).
enum GcryptLibrary {
    /// False when the shared library is older than the header btsim was built with: the
    /// handshake then fails with a clear reason instead of calling into it.
    static let ready: Bool = btsim_gcrypt_initialize() != 0
}

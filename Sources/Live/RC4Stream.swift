import CGcrypt

/// One direction of an RC4 keystream as message stream encryption uses it: keyed with a
/// 20-byte SHA-1 value, the first 1024 bytes of keystream discarded (they leak the key
/// in RC4's weak early output). Each call continues the stream where the last stopped.
final class RC4Stream {
    private let handle: gcry_cipher_hd_t

    static let discarded = 1024

    /// Nil when libgcrypt is unusable or refuses the key.
    init?(key: [UInt8]) {
        guard GcryptLibrary.ready else { return nil }
        var opened: gcry_cipher_hd_t?
        guard
            gcry_cipher_open(&opened, Int32(GCRY_CIPHER_ARCFOUR.rawValue), Int32(GCRY_CIPHER_MODE_STREAM.rawValue), 0)
                == 0,
            let opened
        else { return nil }
        handle = opened
        guard key.withUnsafeBytes({ gcry_cipher_setkey(handle, $0.baseAddress, $0.count) }) == 0 else {
            gcry_cipher_close(handle)
            return nil
        }
        var skipped = [UInt8](repeating: 0, count: Self.discarded)
        apply(&skipped)
    }

    deinit { gcry_cipher_close(handle) }

    /// Encrypts or decrypts (the same operation) in place.
    func apply(_ bytes: UnsafeMutableRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        // In-place use (no input buffer) cannot fail for a stream cipher with its key set.
        _ = gcry_cipher_encrypt(handle, base, bytes.count, nil, 0)
    }

    func apply(_ bytes: inout [UInt8]) { bytes.withUnsafeMutableBytes { apply($0) } }

    func applied(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var copy = Array(bytes)
        apply(&copy)
        return copy
    }
}

import CGcrypt

/// The Diffie–Hellman exchange of message stream encryption: the 768-bit prime P of the
/// specification, generator 2, a 160-bit private key (the specification asks for at
/// least 128 and sees no gain past 180), public keys and the shared secret as 96-byte
/// big-endian numbers. Arithmetic by libgcrypt's MPI functions.
final class DiffieHellman768 {
    static let keyLength = 96

    /// P, big-endian.
    static let prime: [UInt8] = hexBytes(
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A63A36210000000000090563"
    )

    private let modulus: gcry_mpi_t
    private let secret: gcry_mpi_t
    /// G^secret mod P, 96 bytes.
    let publicKey: [UInt8]

    /// `privateKey`: 20 bytes (random unless a test fixes them). Nil when libgcrypt is
    /// unusable.
    init?(privateKey: [UInt8]) {
        guard GcryptLibrary.ready, let modulus = Self.number(Self.prime), let secret = Self.number(privateKey) else {
            return nil
        }
        self.modulus = modulus
        self.secret = secret
        let generator = gcry_mpi_set_ui(nil, 2)
        defer { gcry_mpi_release(generator) }
        let result = gcry_mpi_new(768)
        defer { gcry_mpi_release(result) }
        gcry_mpi_powm(result, generator, secret, modulus)
        guard let key = Self.bytes(result) else {
            gcry_mpi_release(modulus)
            gcry_mpi_release(secret)
            return nil
        }
        publicKey = key
    }

    convenience init?() {
        var generator = SystemRandomNumberGenerator()
        self.init(privateKey: (0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    deinit {
        gcry_mpi_release(modulus)
        gcry_mpi_release(secret)
    }

    /// S = remote^secret mod P; nil for a remote key outside 2 ... P−2, which no honest
    /// peer sends (1 and P−1 would make the secret guessable).
    func sharedSecret(remote: [UInt8]) -> [UInt8]? {
        guard remote.count == Self.keyLength, let y = Self.number(remote) else { return nil }
        defer { gcry_mpi_release(y) }
        let upper = gcry_mpi_new(768)
        defer { gcry_mpi_release(upper) }
        gcry_mpi_sub_ui(upper, modulus, 1)
        let one = gcry_mpi_set_ui(nil, 1)
        defer { gcry_mpi_release(one) }
        guard gcry_mpi_cmp(y, one) > 0, gcry_mpi_cmp(y, upper) < 0 else { return nil }
        let result = gcry_mpi_new(768)
        defer { gcry_mpi_release(result) }
        gcry_mpi_powm(result, y, secret, modulus)
        return Self.bytes(result)
    }

    private static func number(_ bytes: [UInt8]) -> gcry_mpi_t? {
        var value: gcry_mpi_t?
        let status = bytes.withUnsafeBytes {
            gcry_mpi_scan(&value, GCRYMPI_FMT_USG, $0.baseAddress, $0.count, nil)
        }
        guard status == 0 else {
            gcry_mpi_release(value)
            return nil
        }
        return value
    }

    /// A number below P as exactly 96 big-endian bytes (left-padded with zeros).
    private static func bytes(_ value: gcry_mpi_t?) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: keyLength)
        var written = 0
        let status = out.withUnsafeMutableBytes {
            gcry_mpi_print(GCRYMPI_FMT_USG, $0.baseAddress, $0.count, &written, value)
        }
        guard status == 0, written <= keyLength else { return nil }
        if written < keyLength {
            out = [UInt8](repeating: 0, count: keyLength - written) + out[..<written]
        }
        return out
    }

    private static func hexBytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count - 1, by: 2).map { i in
            UInt8(String(decoding: digits[i...i + 1], as: UTF8.self), radix: 16) ?? 0
        }
    }
}

namespace BeaconEngine.Proximity.Advertising;

public abstract partial record BeaconFrame
{
    /// <summary>
    /// An encrypted Eddystone-TLM frame (google/eddystone, eddystone-tlm/tlm-encrypted.md, version 0x01), sent by
    /// beacons configured for Eddystone-EID. Only the EID resolver holds the key, so the parts are exposed raw for
    /// it to decrypt (AES-EAX over the 12 bytes with the salt, checked against the MIC).
    /// </summary>
    public sealed record EddystoneEncryptedTlm : BeaconFrame
    {
        private readonly byte[] _encryptedTelemetry;

        /// <summary>Creates the frame from its parts; <paramref name="encryptedTelemetry"/> is copied.</summary>
        public EddystoneEncryptedTlm(ReadOnlySpan<byte> encryptedTelemetry, ushort salt, ushort integrityCheck)
        {
            _encryptedTelemetry = encryptedTelemetry.ToArray();
            Salt = salt;
            IntegrityCheck = integrityCheck;
        }

        public override BeaconFrameKind Kind => BeaconFrameKind.EddystoneEncryptedTlm;

        /// <summary>The 12 bytes of encrypted telemetry, as sent.</summary>
        public ReadOnlyMemory<byte> EncryptedTelemetry => _encryptedTelemetry;

        /// <summary>The 16-bit random salt, big-endian as sent.</summary>
        public ushort Salt { get; }

        /// <summary>The 16-bit message integrity check, big-endian as sent.</summary>
        public ushort IntegrityCheck { get; }

        /// <summary>Compares the telemetry bytes by content, which the generated record equality would not.</summary>
        public bool Equals(EddystoneEncryptedTlm? other) =>
            other is not null
            && Salt == other.Salt
            && IntegrityCheck == other.IntegrityCheck
            && _encryptedTelemetry.AsSpan().SequenceEqual(other._encryptedTelemetry);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.AddBytes(_encryptedTelemetry);
            hash.Add(Salt);
            hash.Add(IntegrityCheck);
            return hash.ToHashCode();
        }
    }
}

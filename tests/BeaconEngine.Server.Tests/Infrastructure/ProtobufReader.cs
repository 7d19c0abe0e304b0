namespace BeaconEngine.Server.Tests.Infrastructure;

/// <summary>
/// Just enough of the protobuf wire format to read what an OTLP exporter sends: fields by number, nested
/// messages and bytes as spans of the buffer, varints as numbers. No schema, so no generated code.
/// </summary>
public static class ProtobufReader
{
    public readonly record struct Field(int Number, int WireType, ulong Varint, ReadOnlyMemory<byte> Bytes);

    public static IEnumerable<Field> Fields(ReadOnlyMemory<byte> message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var key = ReadVarint(message.Span, ref position);
            var number = (int)(key >> 3);
            var wireType = (int)(key & 7);
            switch (wireType)
            {
                case 0:
                    yield return new Field(number, wireType, ReadVarint(message.Span, ref position), default);
                    break;
                case 1:
                    yield return new Field(number, wireType, BitConverter.ToUInt64(message.Span.Slice(position, 8)), message.Slice(position, 8));
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message.Span, ref position);
                    yield return new Field(number, wireType, 0, message.Slice(position, length));
                    position += length;
                    break;
                case 5:
                    yield return new Field(number, wireType, BitConverter.ToUInt32(message.Span.Slice(position, 4)), message.Slice(position, 4));
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Wire type {wireType} of field {number} is not protobuf this reader knows.");
            }
        }
    }

    /// <summary>The nested messages (or bytes) of field <paramref name="number"/>.</summary>
    public static IEnumerable<ReadOnlyMemory<byte>> Messages(ReadOnlyMemory<byte> message, int number) =>
        Fields(message).Where(f => f.Number == number && f.WireType == 2).Select(f => f.Bytes);

    public static string Text(ReadOnlyMemory<byte> message, int number) =>
        Messages(message, number).Select(b => System.Text.Encoding.UTF8.GetString(b.Span)).FirstOrDefault() ?? "";

    public static string Hex(ReadOnlyMemory<byte> message, int number) =>
        Messages(message, number).Select(b => Convert.ToHexStringLower(b.Span)).FirstOrDefault() ?? "";

    private static ulong ReadVarint(ReadOnlySpan<byte> buffer, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = buffer[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }
}

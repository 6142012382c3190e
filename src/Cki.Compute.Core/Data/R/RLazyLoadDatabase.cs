using System.Buffers.Binary;
using System.IO.Compression;

namespace Cki.Compute.Data.R;

/// <summary>
/// An R lazy-load database (<c>Rdata.rdb</c> + <c>Rdata.rdx</c>, as R packages ship their data sets): the index
/// maps object names to (offset, length) in the <c>.rdb</c>, and each entry is a 4-byte big-endian uncompressed
/// length followed by a zlib stream of a serialized object. The index itself is either gzip-compressed (as in
/// r-cran-dslabs 0.7.4) or in the same length + zlib form; both are accepted.
/// </summary>
public sealed class RLazyLoadDatabase
{
    /// <summary>The largest object this reader inflates, in bytes.</summary>
    public const int MaxObjectBytes = 1 << 30;

    private readonly string _rdb;
    private readonly Dictionary<string, (long Offset, int Length)> _variables;

    private RLazyLoadDatabase(string rdb, Dictionary<string, (long, int)> variables)
    {
        _rdb = rdb;
        _variables = variables;
    }

    /// <summary>The names of the objects stored.</summary>
    public IReadOnlyCollection<string> Names => _variables.Keys;

    /// <summary>Opens <paramref name="rdb"/> with its index <paramref name="rdx"/>.</summary>
    public static RLazyLoadDatabase Open(string rdb, string rdx)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rdb);
        ArgumentException.ThrowIfNullOrWhiteSpace(rdx);
        var raw = File.ReadAllBytes(rdx);
        var index = RSerializationReader.Read(Inflate(raw, rdx, 0), rdx);
        if (index is not RList list || !list.StringAttribute("names").Contains("variables"))
        {
            throw new RDataFormatException($"{rdx}: not a lazy-load index (no 'variables').");
        }

        var variables = list.Items[list.StringAttribute("names").ToList().IndexOf("variables")];
        var names = variables.StringAttribute("names");
        if (variables is not RList entries || names.Count != entries.Items.Length)
        {
            throw new RDataFormatException($"{rdx}: 'variables' is not a named list.");
        }

        var map = new Dictionary<string, (long, int)>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (entries.Items[i] is not RInts { Values: [var offset, var length] } || offset < 0 || length < 4)
            {
                throw new RDataFormatException($"{rdx}: entry '{names[i]}' is not an (offset, length) pair.");
            }

            map[names[i] ?? string.Empty] = (offset, length);
        }

        return new RLazyLoadDatabase(rdb, map);
    }

    /// <summary>Reads the object called <paramref name="name"/>.</summary>
    public RObject Read(string name)
    {
        if (!_variables.TryGetValue(name, out var entry))
        {
            throw new RDataFormatException($"{_rdb}: no object '{name}' (it holds {string.Join(", ", _variables.Keys.Order(StringComparer.Ordinal))}).");
        }

        using var file = File.OpenHandle(_rdb);
        var length = RandomAccess.GetLength(file);
        if (entry.Offset + entry.Length > length)
        {
            throw new RDataFormatException($"{_rdb}: object '{name}' at [{entry.Offset}, {entry.Offset + entry.Length}) runs past the end ({length} bytes).");
        }

        var bytes = new byte[entry.Length];
        RandomAccess.Read(file, bytes, entry.Offset);
        return RSerializationReader.Read(Inflate(bytes, $"{_rdb} object '{name}'", entry.Offset), $"{_rdb} object '{name}'");
    }

    private static byte[] Inflate(byte[] raw, string source, long offset)
    {
        try
        {
            if (raw.Length >= 2 && raw[0] == 0x1f && raw[1] == 0x8b)
            {
                using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
                return ReadBounded(gzip, MaxObjectBytes, source);
            }

            if (raw.Length < 4)
            {
                throw new RDataFormatException($"{source}: {raw.Length} bytes at offset {offset}; expected a 4-byte length and a zlib stream.");
            }

            var declared = BinaryPrimitives.ReadInt32BigEndian(raw);
            if (declared < 0 || declared > MaxObjectBytes)
            {
                throw new RDataFormatException($"{source}: declared length {declared} at offset {offset} is outside 0..{MaxObjectBytes}.");
            }

            using var zlib = new ZLibStream(new MemoryStream(raw, 4, raw.Length - 4), CompressionMode.Decompress);
            var bytes = ReadBounded(zlib, declared, source);
            return bytes.Length == declared
                ? bytes
                : throw new RDataFormatException($"{source}: inflated to {bytes.Length} bytes, the header at offset {offset} says {declared}.");
        }
        catch (InvalidDataException e)
        {
            throw new RDataFormatException($"{source}: the compressed stream at offset {offset} is corrupt: {e.Message}", e);
        }
    }

    private static byte[] ReadBounded(Stream stream, int limit, string source)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new RDataFormatException($"{source}: inflates past {limit} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

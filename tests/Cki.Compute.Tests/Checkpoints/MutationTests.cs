using System.Diagnostics;
using System.Text;
using Cki.Compute.Checkpoints;
using Cki.Testing;

namespace Cki.Compute.Tests.Checkpoints;

/// <summary>
/// Seeded mutations of valid files (byte flips, truncations, length edits, header edits): every case either
/// reads or fails with <see cref="CheckpointFormatException"/>; no other exception, no hang, no allocation
/// out of proportion to the file.
/// </summary>
public sealed class MutationTests
{
    private const int Cases = 4000;

    private static readonly string[] HeaderEdits =
    [
        "F32", "F64", "BOOL", "XX", "shape", "dtype", "data_offsets", "[", "]", "{", "}", ",", ":", "\"", "-1",
        "99999999999999999999", "4294967296", "0", "1e3", "null", "\\u0000", "__metadata__", " ",
    ];

    private static byte[] ValidFile()
    {
        using var scratch = new ScratchFolder();
        var layout = new List<TensorSpec>
        {
            new("w", TensorDtype.F32, [4, 3]),
            new("mask", TensorDtype.BOOL, [5]),
            new("steps", TensorDtype.I64, []),
            new("h", TensorDtype.F16, [2, 2]),
            new("none", TensorDtype.U8, [0]),
            new("b", TensorDtype.BF16, [3]),
        };
        var path = scratch.File("valid.safetensors");
        using (var writer = SafetensorsWriter.Create(new FileCheckpointSink(path), layout, new Dictionary<string, string> { ["seed"] = "1" }))
        {
            for (var i = 0; i < layout.Count; i++)
            {
                using var t = TensorBytes.Random(layout[i], i);
                writer.Write(layout[i].Name, t);
            }

            writer.Commit();
        }

        return File.ReadAllBytes(path);
    }

    [Fact(Timeout = 300_000)]
    public async Task Open_ThousandsOfMutatedFiles_ReadOrFailWithCheckpointError()
    {
        await Task.Yield();
        var valid = ValidFile();
        var headerLength = (int)BitConverter.ToUInt64(valid, 0);
        var random = new Random(20261129);
        int read = 0, rejected = 0;
        var rules = new HashSet<CheckpointRule>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Cases; i++)
        {
            var (mutant, description) = Mutate(valid, headerLength, random);
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                using var reader = SafetensorsReader.Open(new MemoryByteSource($"case-{i}", mutant));
                foreach (var entry in reader.Header.Tensors)
                {
                    using var t = reader.ReadTensor(entry.Name);
                    Assert.Equal(entry.Spec.Shape, t.shape);
                    Assert.True(entry.Spec.ByteCount <= mutant.Length);
                }

                read++;
            }
            catch (CheckpointFormatException e)
            {
                Assert.Equal($"case-{i}", e.File);
                rules.Add(e.Rule);
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i} ({description}) threw {e.GetType().Name}: {e.Message}");
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            Assert.True(allocated < (256 << 10) + (16L * mutant.Length), $"case {i} ({description}) allocated {allocated} bytes for a {mutant.Length}-byte file");
        }

        Assert.Equal(Cases, read + rejected);
        Assert.True(rejected > Cases / 4, $"only {rejected} of {Cases} mutants were rejected");
        Assert.True(read > 0, "no mutant read: the mutations never touch the data alone");
        Assert.True(rules.Count >= 8, $"mutations reached only these rules: {string.Join(", ", rules)}");
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(4));
    }

    private static (byte[] File, string Description) Mutate(byte[] valid, int headerLength, Random random)
    {
        var file = (byte[])valid.Clone();
        switch (random.Next(6))
        {
            case 0:
                var flips = random.Next(1, 5);
                for (var k = 0; k < flips; k++)
                {
                    file[random.Next(file.Length)] = (byte)random.Next(256);
                }

                return (file, $"{flips} byte flips");
            case 1:
                var length = random.Next(file.Length);
                return (file[..length], $"truncated to {length}");
            case 2:
                var declared = random.Next(3) switch
                {
                    0 => (ulong)random.NextInt64(),
                    1 => (ulong)(headerLength + random.Next(-16, 17)),
                    _ => (ulong)random.Next(file.Length + 8),
                };
                BitConverter.GetBytes(declared).CopyTo(file, 0);
                return (file, $"header length {declared}");
            case 3:
                var data = file.AsSpan(8 + headerLength);
                if (data.Length > 0)
                {
                    data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
                }

                return (file, "data bit flip");
            case 4:
                var extra = new byte[random.Next(1, 64)];
                random.NextBytes(extra);
                return ([.. file, .. extra], $"{extra.Length} bytes appended");
            default:
                return EditHeader(file, headerLength, random);
        }
    }

    private static (byte[] File, string Description) EditHeader(byte[] file, int headerLength, Random random)
    {
        var header = Encoding.UTF8.GetString(file, 8, headerLength);
        var at = random.Next(header.Length);
        var cut = random.Next(0, 4);
        var insert = HeaderEdits[random.Next(HeaderEdits.Length)];
        var edited = header[..at] + insert + header[Math.Min(header.Length, at + cut)..];
        var keepLength = random.Next(2) == 0;
        var bytes = Encoding.UTF8.GetBytes(edited);
        var data = file.AsSpan(8 + headerLength).ToArray();
        var mutant = RawSafetensors.Build(bytes, data, keepLength ? (ulong)headerLength : null);
        return (mutant, $"header edit at {at}: -{cut} +'{insert}' (length {(keepLength ? "kept" : "fixed")})");
    }
}

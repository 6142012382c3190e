using System.Runtime.InteropServices;

namespace Cki.Compute.Checkpoints;

/// <summary>A block of native memory at an aligned address (direct I/O needs one), freed on dispose.</summary>
internal sealed unsafe class AlignedBuffer : IDisposable
{
    private void* _memory;

    /// <summary>Allocates <paramref name="length"/> bytes aligned to <paramref name="alignment"/> (a power of two).</summary>
    public AlignedBuffer(int length, int alignment)
    {
        Length = length;
        _memory = NativeMemory.AlignedAlloc((nuint)length, (nuint)alignment);
    }

    /// <summary>The size in bytes.</summary>
    public int Length { get; }

    /// <summary>The whole block.</summary>
    public Span<byte> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_memory is null, this);
            return new Span<byte>(_memory, Length);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_memory is not null)
        {
            NativeMemory.AlignedFree(_memory);
            _memory = null;
        }
    }
}

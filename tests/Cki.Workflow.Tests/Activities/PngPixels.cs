using SkiaSharp;

namespace Cki.Workflow.Tests.Activities;

/// <summary>Reads a PNG back with SkiaSharp to count the pixels of a colour: what a plot drew, independent of how.</summary>
internal sealed class PngPixels
{
    private readonly SKBitmap _bitmap;

    public PngPixels(byte[] png)
    {
        _bitmap = SKBitmap.Decode(png) ?? throw new InvalidDataException("not an image");
    }

    public int Width => _bitmap.Width;

    public int Height => _bitmap.Height;

    /// <summary>The pixels of exactly <paramref name="hex"/> (<c>#rrggbb</c>), opaque.</summary>
    public int Count(string hex)
    {
        var colour = SKColor.Parse(hex);
        var count = 0;
        for (var y = 0; y < _bitmap.Height; y++)
        {
            for (var x = 0; x < _bitmap.Width; x++)
            {
                var p = _bitmap.GetPixel(x, y);
                if (p.Red == colour.Red && p.Green == colour.Green && p.Blue == colour.Blue && p.Alpha == 255)
                {
                    count++;
                }
            }
        }

        return count;
    }
}

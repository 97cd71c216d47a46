// A minimal PNG encoder for the host's own textures (8-bit RGBA, filter 0 on every row, zlib over
// System.IO.Compression's deflate), as an engine encodes pixels it made before sending them as a
// texture blob. Unity itself would use Texture2D.EncodeToPNG.
using System;
using System.IO;
using System.IO.Compression;
using System.Text;

static class Png
{
    static readonly uint[] CrcTable = MakeTable();

    static uint[] MakeTable()
    {
        var t = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xedb88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }

    static void U32(Stream s, uint v) { s.WriteByte((byte)(v >> 24)); s.WriteByte((byte)(v >> 16)); s.WriteByte((byte)(v >> 8)); s.WriteByte((byte)v); }

    static void Chunk(Stream s, string type, byte[] data)
    {
        U32(s, (uint)data.Length);
        var body = new byte[4 + data.Length];
        Encoding.ASCII.GetBytes(type, 0, 4, body, 0);
        Buffer.BlockCopy(data, 0, body, 4, data.Length);
        s.Write(body, 0, body.Length);
        uint crc = 0xffffffffu;
        foreach (var b in body) crc = CrcTable[(crc ^ b) & 0xff] ^ (crc >> 8);
        U32(s, crc ^ 0xffffffffu);
    }

    /// <summary>`rgba`: width × height × 4 bytes, rows top to bottom.</summary>
    public static byte[] Encode(int width, int height, byte[] rgba)
    {
        var raw = new byte[height * (1 + 4 * width)];
        for (int y = 0; y < height; y++) Buffer.BlockCopy(rgba, y * 4 * width, raw, y * (1 + 4 * width) + 1, 4 * width);
        var z = new MemoryStream();
        z.WriteByte(0x78);
        z.WriteByte(0x01);
        using (var d = new DeflateStream(z, CompressionMode.Compress, true)) d.Write(raw, 0, raw.Length);
        uint a = 1, b = 0;
        foreach (var x in raw) { a = (a + x) % 65521; b = (b + a) % 65521; }
        U32(z, b << 16 | a);
        var ihdr = new MemoryStream();
        U32(ihdr, (uint)width);
        U32(ihdr, (uint)height);
        ihdr.Write(new byte[] { 8, 6, 0, 0, 0 }, 0, 5);
        var png = new MemoryStream();
        png.Write(new byte[] { 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a }, 0, 8);
        Chunk(png, "IHDR", ihdr.ToArray());
        Chunk(png, "IDAT", z.ToArray());
        Chunk(png, "IEND", new byte[0]);
        return png.ToArray();
    }

    /// <summary>A size × size checker of `color` (RGB bytes) and white, opaque, in cells of 4 pixels.</summary>
    public static byte[] Checker(int size, byte[] color)
    {
        var rgba = new byte[size * size * 4];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                bool on = ((x / 4) + (y / 4)) % 2 == 0;
                int at = 4 * (y * size + x);
                rgba[at] = on ? color[0] : (byte)255;
                rgba[at + 1] = on ? color[1] : (byte)255;
                rgba[at + 2] = on ? color[2] : (byte)255;
                rgba[at + 3] = 255;
            }
        return Encode(size, size, rgba);
    }
}

using Cki.Compute.Data.R;

namespace Cki.Compute.Tests.Data;

public class RSerializationReaderTests
{
    /// <summary>
    /// data.frame(id = 1:3 as compact_intseq ALTREP, score = c(4.5, NA, 1), genre = factor(c("b", "a", "b")), name = c("x", NA, "z")).
    /// </summary>
    private static byte[] DataFrame()
    {
        var x = new XdrBuilder();
        x.Int(19 | 0x200).Int(4); // list of 4 columns, with attributes
        // id: ALTREP compact_intseq(n = 3, start = 1, step = 1)
        x.Int(238);
        x.Int(2).Int(1).Chars("compact_intseq").Int(2).Int(1).Chars("base").Int(2).Ints(13).Nil();
        x.Doubles(3, 1, 1);
        x.Nil();
        x.Doubles(4.5, BitConverter.Int64BitsToDouble(0x7FF00000000007A2), 1);
        x.Ints(true, 2, 1, 2).Cell("levels").Strings("a", "b").Cell("class").Strings("factor").Nil();
        x.Strings("x", null, "z");
        // attributes of the list: names, class, row.names
        x.Cell("names").Strings("id", "score", "genre", "name");
        x.Cell("class").Strings("data.frame");
        x.Cell("row.names").Ints(int.MinValue, -3);
        x.Nil();
        return x.ToArray();
    }

    [Fact]
    public void Read_DataFrameWithAltrepFactorAndNa_GivesTheColumns()
    {
        var frame = RDataFrame.From(RSerializationReader.Read(DataFrame(), "test"), "test");
        Assert.Equal(3, frame.Rows);
        Assert.Equal([1, 2, 3], frame.Column<int>("id", "test"));
        var score = frame.Column<double>("score", "test");
        Assert.Equal(4.5, score[0]);
        Assert.True(double.IsNaN(score[1]));
        Assert.Equal(new string?[] { "b", "a", "b" }, frame.Column<string?>("genre", "test"));
        Assert.Equal(new string?[] { "x", null, "z" }, frame.Column<string?>("name", "test"));
    }

    [Fact]
    public void Read_SymbolReferencedTwice_ResolvesTheReference()
    {
        var x = new XdrBuilder();
        x.Int(19).Int(2).Int(1).Chars("sym").Int(255 | (1 << 8));
        var list = Assert.IsType<RList>(RSerializationReader.Read(x.ToArray(), "test"));
        Assert.Equal("sym", Assert.IsType<RSymbol>(list.Items[1]).Name);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(30)]
    [InlineData(60)]
    public void Read_Truncated_FailsWithOffset(int keep)
    {
        var bytes = DataFrame()[..keep];
        var error = Assert.Throws<RDataFormatException>(() => RSerializationReader.Read(bytes, "cut.rds"));
        Assert.StartsWith("cut.rds: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HugeVectorLength_FailsWithoutAllocating()
    {
        var bytes = new XdrBuilder().Int(13).Int(int.MaxValue).ToArray();
        var error = Assert.Throws<RDataFormatException>(() => RSerializationReader.Read(bytes, "big.rds"));
        Assert.Contains("runs past", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotXdr_IsAClearError() =>
        Assert.Contains("XDR", Assert.Throws<RDataFormatException>(() => RSerializationReader.Read("A\n"u8.ToArray(), "ascii.rds")).Message, StringComparison.Ordinal);

    [Fact]
    public void Read_UnsupportedType_NamesIt()
    {
        var bytes = new XdrBuilder().Int(3).ToArray(); // a closure
        Assert.Contains("R type 3", Assert.Throws<RDataFormatException>(() => RSerializationReader.Read(bytes, "f.rds")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SeededCorruptions_OnlyEverFailWithRDataFormatException()
    {
        var valid = DataFrame();
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = (byte[])valid.Clone();
            for (var k = random.Next(1, 4); k > 0; k--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            try
            {
                var value = RSerializationReader.Read(bytes, "mutant");
                _ = value is RList ? RDataFrameOrNull(value) : null;
            }
            catch (RDataFormatException)
            {
            }
        }
    }

    private static RDataFrame? RDataFrameOrNull(RObject value)
    {
        try
        {
            return RDataFrame.From(value, "mutant");
        }
        catch (RDataFormatException)
        {
            return null;
        }
    }
}

using Microsoft.ML.Tokenizers;
using static TorchSharp.torch;

namespace Cki.Compute.Tasks.Sentiment;

/// <summary>A batch of tokenized sentences, padded to the longest: token ids, attention mask and token types ([B, L], int64).</summary>
/// <param name="Ids">Token ids.</param>
/// <param name="Mask">1 for real tokens, 0 for padding.</param>
/// <param name="TokenTypes">All zeros: one segment per sentence.</param>
public sealed record TokenBatch(Tensor Ids, Tensor Mask, Tensor TokenTypes) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Ids.Dispose();
        Mask.Dispose();
        TokenTypes.Dispose();
    }
}

/// <summary>
/// WordPiece tokenization with Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/> over an encoder's
/// <c>vocab.txt</c> (lower-casing, as the uncased vocabularies of both encoders expect): [CLS] tokens [SEP], cut to
/// <see cref="MaxTokens"/>, padded with [PAD] to the longest sentence of a batch.
/// </summary>
public sealed class SentenceTokenizer
{
    private readonly BertTokenizer _tokenizer;

    private SentenceTokenizer(BertTokenizer tokenizer, int maxTokens)
    {
        _tokenizer = tokenizer;
        MaxTokens = maxTokens;
    }

    /// <summary>The most tokens a sentence keeps, [CLS] and [SEP] included.</summary>
    public int MaxTokens { get; }

    /// <summary>Loads <paramref name="vocabularyFile"/>.</summary>
    public static SentenceTokenizer Load(string vocabularyFile, int maxTokens = 128)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 3);
        if (!File.Exists(vocabularyFile))
        {
            throw new FileNotFoundException($"No vocabulary at {Path.GetFullPath(vocabularyFile)}: run 'cki-compute data fetch encoders' first.");
        }

        return new SentenceTokenizer(BertTokenizer.Create(vocabularyFile, new BertOptions { LowerCaseBeforeTokenization = true }), maxTokens);
    }

    /// <summary>The ids of one sentence: [CLS], its word pieces (cut to fit), [SEP].</summary>
    public IReadOnlyList<int> Encode(string sentence)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        var pieces = _tokenizer.EncodeToIds(sentence, addSpecialTokens: false, considerPreTokenization: true, considerNormalization: true);
        var ids = new List<int>(Math.Min(pieces.Count, MaxTokens - 2) + 2) { _tokenizer.ClassificationTokenId };
        ids.AddRange(pieces.Take(MaxTokens - 2));
        ids.Add(_tokenizer.SeparatorTokenId);
        return ids;
    }

    /// <summary>Tokenizes <paramref name="sentences"/> into one padded batch.</summary>
    public TokenBatch EncodeBatch(IReadOnlyList<string> sentences)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var encoded = sentences.Select(Encode).ToList();
        var length = encoded.Count == 0 ? 1 : encoded.Max(e => e.Count);
        var ids = new long[encoded.Count * length];
        var mask = new long[ids.Length];
        Array.Fill(ids, _tokenizer.PaddingTokenId);
        for (var i = 0; i < encoded.Count; i++)
        {
            for (var j = 0; j < encoded[i].Count; j++)
            {
                ids[(i * length) + j] = encoded[i][j];
                mask[(i * length) + j] = 1;
            }
        }

        long[] shape = [encoded.Count, length];
        return new TokenBatch(tensor(ids, shape), tensor(mask, shape), zeros(shape, ScalarType.Int64));
    }
}

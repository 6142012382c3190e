namespace Cki.Contracts.Tests.Manifests;

/// <summary>Manifests shared by the parser tests.</summary>
internal static class ManifestSamples
{
    public const string BlobName = "checkpoints/fam/cki.yaml";

    /// <summary>The two required keys; a fragment appended to it starts on line 3.</summary>
    public const string Minimal = "task: synthetic\nsources: [a, b]\n";

    /// <summary>Every key set to a value other than its default.</summary>
    public const string Full = """
        # family manifest
        ---
        task: movielens
        sources: [early, mid, late-2024, v1.b_2]
        merge:
          method: ties
          splice: hard
          form: exp-softmax
          tensors:
            - "head.*.weight"
            - 'trunk.layer?.bias'   # second pattern
          histogram: closed
          a: 0.25
          c: 1e3
          allow_non_finite: true
          seed: 42
          base: checkpoints/fam/base/v1/model.safetensors
          threshold: 0.5
          lambda: -0.75
          density: 1
        data:
          ratings: data/movielens/ratings.csv
          movies: "data/movielens/movies.csv"   # quoted
          notes: checkpoints/fam/notes.txt
        evaluation:
          metrics: [accuracy]
          baselines:
          - ties
          - ensemble
          - global-only
          - prune-magnitude
        candidates:
          learning_rates: [0.0005, 2E-2, 1]
          epochs: 3
          batch_size: 256
        retrain_epochs: 1
        shards: 1024
        schedule: manual

        """;
}

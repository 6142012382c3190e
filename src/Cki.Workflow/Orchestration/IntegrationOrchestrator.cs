using Cki.Contracts.Jobs;
using Cki.Contracts.Manifests;
using Cki.Contracts.Runs;
using Cki.Contracts.Storage;
using Cki.Workflow.Activities;
using Cki.Workflow.Messages;
using Microsoft.DurableTask;

namespace Cki.Workflow.Orchestration;

/// <summary>
/// One integration run (docs/architecture.md): validate, profile, assess candidates (learned methods), splice shards,
/// assemble, evaluate, optionally retrain (with its compute-matched control), decide, report, publish. Only blob names travel between steps. Replay-safe:
/// no clocks, GUIDs or I/O here, only activities, timers and events.
/// </summary>
public sealed class IntegrationOrchestrator : TaskOrchestrator<RunRequest, RunSummary>
{
    /// <inheritdoc />
    public override async Task<RunSummary> RunAsync(TaskOrchestrationContext context, RunRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var jobs = new JobTracker(context, input.Settings);
        try
        {
            jobs.Phase(RunPhases.Validate);
            var plan = await context.CallActivityAsync<RunPlan>(nameof(ValidateRunActivity), input, StepRetries.Options);
            jobs.Phase(RunPhases.Profile);
            var profiles = await jobs.RunAllAsync(plan.Inputs.Select((checkpoint, k) => (JobSpec)new ProfileJobSpec
            {
                RunId = plan.RunId, JobId = $"profile-{plan.Sources[k]}", Family = plan.Family, Manifest = plan.Manifest, Inputs = plan.Inputs, InputVersions = plan.InputVersions,
                Checkpoint = checkpoint,
            }).ToList());
            var nonFinite = profiles.Where(p => p.Figures.GetValueOrDefault(JobFigures.NonFinite) > 0).ToList();
            if (nonFinite.Count > 0 && !plan.AllowNonFinite)
            {
                throw new RunFailedException($"non-finite values in {string.Join(", ", nonFinite.Select(p => $"{p.JobId["profile-".Length..]} ({p.Figures[JobFigures.NonFinite]} values; see {p.Outputs[0]})"))}; " +
                    "set merge.allow_non_finite: true to integrate them anyway.");
            }

            JobResult? candidate = null;
            if (plan.Learned)
            {
                jobs.Phase(RunPhases.Assess);
                var assessed = await jobs.RunAllAsync(plan.LearningRates.Select((rate, i) => (JobSpec)new AssessJobSpec
                {
                    RunId = plan.RunId, JobId = $"assess-{i + 1}", Family = plan.Family, Manifest = plan.Manifest, Inputs = plan.Inputs, InputVersions = plan.InputVersions, LearningRate = rate,
                }).ToList());
                // The best on VALIDATION; ties go to the earlier candidate, as in cki-compute merge.
                candidate = assessed.Aggregate((best, next) => next.Figures[JobFigures.Validation] > best.Figures[JobFigures.Validation] ? next : best);
            }

            jobs.Phase(RunPhases.Splice);
            var outputFolder = BlobLayout.Qualified(BlobLayout.IntegratedContainer, BlobLayout.IntegratedRunPrefix(plan.Family, plan.RunId));
            var spliced = await jobs.RunBatchedAsync(plan.Shards.Select((tensors, i) => (JobSpec)new SpliceJobSpec
            {
                RunId = plan.RunId, JobId = $"splice-{i + 1:D5}", Family = plan.Family, Manifest = plan.Manifest, Inputs = plan.Inputs, InputVersions = plan.InputVersions,
                Shard = i + 1, ShardCount = plan.Shards.Count, Tensors = tensors, Weights = candidate?.Outputs[0], OutputFolder = outputFolder,
                Profiles = profiles.Select(p => p.Outputs[0]).ToList(),
            }).ToList());

            if (spliced.Sum(r => r.Figures.GetValueOrDefault(JobFigures.Spliced, 1)) == 0)
            {
                // Model A under the name of an integration is worse than no model: say why instead of publishing it.
                throw new RunFailedException($"merge.tensors ({plan.Tensors}) selects no tensor of the models: nothing would be integrated.");
            }

            jobs.Phase(RunPhases.Assemble);
            var model = await context.CallActivityAsync<string>(nameof(AssembleActivity), new AssembleRequest(plan, input.Inputs, profiles, candidate), StepRetries.Options);

            var evaluation = new List<EvaluationRow>();
            var candidates = new List<Candidate>();
            if (plan.Task != ManifestTasks.None)
            {
                jobs.Phase(RunPhases.Evaluate);
                var targets = new List<(EvaluateJobSpec Spec, Candidate Candidate)>
                {
                    (Evaluate(plan, "integrated", "integrated", models: [model]), new Candidate(CandidateNames.Integrated, 1, model)),
                };
                if (plan.Champion is { } champion)
                {
                    // The published model, evaluated again on this run's validation data: the candidate to beat.
                    var members = champion.Ensemble ?? [champion.Model];
                    targets.Add((Evaluate(plan, "champion", $"champion (published run {champion.RunId})", models: members),
                        new Candidate(CandidateNames.Champion, members.Count, champion.Model, champion.Ensemble)));
                }

                targets.AddRange(plan.Inputs.Select((m, k) => (Evaluate(plan, $"input-{plan.Sources[k]}", $"input {plan.Sources[k]}", models: [m]),
                    new Candidate(CandidateNames.Input(plan.Sources[k]), 1, m))));
                targets.AddRange(plan.Baselines.Select(b => b == "ensemble"
                    ? (Evaluate(plan, "ensemble", $"output ensemble", models: plan.Inputs), new Candidate(CandidateNames.Ensemble, plan.Inputs.Count, plan.Inputs[0], plan.Inputs))
                    : (Evaluate(plan, $"baseline-{b}", $"baseline {b}", baseline: b), new Candidate(CandidateNames.Baseline(b), 1, null))));
                var results = await jobs.RunAllAsync(targets.Select(t => (JobSpec)t.Spec).ToList());
                evaluation.AddRange(targets.Zip(results, (t, r) => Row(t.Spec.Target, t.Candidate.Cost, r)));
                // A baseline's model is the merge its evaluate job wrote first.
                candidates.AddRange(targets.Zip(results, (t, r) => t.Candidate with { Model = t.Candidate.Model ?? r.Outputs[0], Result = r }));

                if (plan.RetrainEpochs > 0)
                {
                    // Beside the retrained model, its compute-matched control: the best input on validation, trained the same
                    // epochs on the same data. Only the difference between the two is what integration added.
                    jobs.Phase(RunPhases.Retrain);
                    var metric = plan.DecidingMetric ?? MetricNames.Auc;
                    var bestInput = BestOnValidation.Of(candidates.Where(c => CandidateNames.IsInput(c.Name)),
                        c => c.Result!.Figures.TryGetValue(MetricNames.Validation(metric), out var v) ? v : null, metric);
                    var retrains = new List<(RetrainJobSpec Spec, string Name, string Target)>
                    {
                        (Retrain(plan, "retrain", model), CandidateNames.Retrained, $"integrated + {plan.RetrainEpochs} retraining epoch(s)"),
                    };
                    if (bestInput is not null)
                    {
                        retrains.Add((Retrain(plan, "retrain-control", bestInput.Model!), CandidateNames.Control,
                            $"control: {bestInput.Name} + {plan.RetrainEpochs} epoch(s)"));
                    }

                    var retrained = await jobs.RunAllAsync(retrains.Select(r => (JobSpec)r.Spec).ToList());
                    var evaluations = retrains.Zip(retrained, (r, result) => Evaluate(plan, r.Spec.JobId == "retrain" ? "retrained" : "control", r.Target, models: [result.Outputs[0]])).ToList();
                    var evaluated = await jobs.RunAllAsync(evaluations.Select(e => (JobSpec)e).ToList());
                    for (var i = 0; i < retrains.Count; i++)
                    {
                        evaluation.Add(Row(evaluations[i].Target, 1, evaluated[i]));
                        candidates.Add(new Candidate(retrains[i].Name, 1, retrained[i].Outputs[0]) { Result = evaluated[i] });
                    }
                }
            }

            // The decision, on validation only: which candidate is published (or none, and the run is held).
            var chosen = new Candidate(CandidateNames.Integrated, 1, model);
            string? decisionFile = null;
            var publish = true;
            if (candidates.Count > 0)
            {
                jobs.Phase(RunPhases.Decide);
                var ordered = candidates.OrderBy(c => TieOrder(c.Name)).ToList();
                var decided = await jobs.RunAsync(new DecideJobSpec
                {
                    RunId = plan.RunId, JobId = "decide", Family = plan.Family, Manifest = plan.Manifest, Inputs = plan.Inputs, InputVersions = plan.InputVersions,
                    Candidates = ordered.Select(c => new PromotionCandidate(c.Name, c.Cost,
                        JobOutputs.Find(c.Result!.Outputs, JobOutputs.ValidationPredictions) ?? throw new RunFailedException($"the evaluation of {c.Name} wrote no validation predictions."),
                        c.Result.Figures.Where(f => f.Key.StartsWith("test.", StringComparison.Ordinal)).ToDictionary(f => f.Key, f => f.Value))).ToList(),
                });
                decisionFile = JobOutputs.Find(decided.Outputs, JobOutputs.Decision);
                publish = decided.Figures.GetValueOrDefault("publish", 1) > 0;
                var index = (int)decided.Figures.GetValueOrDefault("chosen", -1);
                chosen = index >= 0 && index < ordered.Count ? ordered[index] : chosen;
            }

            jobs.Phase(RunPhases.Report);
            var summary = await context.CallActivityAsync<RunSummary>(nameof(WriteReportActivity), new RunSummary
            {
                RunId = plan.RunId, Family = plan.Family, Outcome = publish ? RunOutcomes.Completed : RunOutcomes.Held, Inputs = input.Inputs, Jobs = jobs.Records,
                LearningRate = candidate?.Figures[JobFigures.LearningRate], Evaluation = evaluation, OutputFolder = outputFolder, DecisionFile = decisionFile,
                ChampionNote = plan.ChampionNote,
            }, StepRetries.Options);
            if (!publish)
            {
                // The decision kept the published model (or found nothing good enough): latest.json stays as it is.
                jobs.Phase(RunOutcomes.Held);
                return summary;
            }

            jobs.Phase(RunPhases.Publish);
            var publication = await context.CallActivityAsync<PublishOutcome>(nameof(PublishActivity),
                new PublishRequest(plan.Family, plan.RunId, chosen.Model!, input.Inputs, plan.ManifestVersion, chosen.Name, summary.Decision, chosen.Members), StepRetries.Options);
            if (!publication.Published)
            {
                // A late run of older inputs: its outputs stay in its folder, latest.json keeps the newer run.
                jobs.Phase(RunOutcomes.Superseded);
                return await context.CallActivityAsync<RunSummary>(nameof(WriteReportActivity),
                    summary with { Outcome = RunOutcomes.Superseded, SupersededBy = publication.SupersededBy, Publication = publication.Detail }, StepRetries.Options);
            }

            jobs.Phase(RunOutcomes.Completed);
            return summary;
        }
        catch (Exception e) when (e is TaskFailedException or RunFailedException)
        {
            var reason = RunFailedException.ReasonOf(e);
            jobs.Fail(reason);
            // Nothing a failed run started keeps running, and nothing it wrote under integrated/ stays behind.
            await context.CallActivityAsync<FailedRunCleanup>(nameof(StopFailedRunActivity), new FailedRun(input.RunId, input.Family), StepRetries.Options);
            await context.CallActivityAsync<RunSummary>(nameof(WriteReportActivity), new RunSummary
            {
                RunId = input.RunId, Family = input.Family, Outcome = RunOutcomes.Failed, Error = reason, Inputs = input.Inputs, Jobs = jobs.Records,
            }, StepRetries.Options);
            throw new RunFailedException(reason);
        }
    }

    private static EvaluateJobSpec Evaluate(RunPlan plan, string jobSuffix, string target, IReadOnlyList<string>? models = null, string? baseline = null) => new()
    {
        RunId = plan.RunId, JobId = $"evaluate-{jobSuffix}", Family = plan.Family, Manifest = plan.Manifest, Inputs = plan.Inputs, InputVersions = plan.InputVersions, Target = target,
        Models = models ?? [], Baseline = baseline,
    };

    // Ties go to the earlier candidate: the champion first (a tie never replaces the published model), then the
    // integrated model, the retrained one, its control, the baselines, the inputs, and the ensemble last.
    private static int TieOrder(string name) => name switch
    {
        CandidateNames.Champion => 0,
        CandidateNames.Integrated => 1,
        CandidateNames.Retrained => 2,
        CandidateNames.Control => 3,
        CandidateNames.Ensemble => 6,
        _ when CandidateNames.IsInput(name) => 5,
        _ => 4,
    };

    /// <summary>A model the run may publish: its name, inference cost, blob (and members, for the ensemble), and its evaluation.</summary>
    private sealed record Candidate(string Name, int Cost, string? Model, IReadOnlyList<string>? Members = null)
    {
        public JobResult? Result { get; init; }
    }

    private static RetrainJobSpec Retrain(RunPlan plan, string jobId, string model) => new()
    {
        RunId = plan.RunId, JobId = jobId, Family = plan.Family, Manifest = plan.Manifest, Inputs = plan.Inputs, InputVersions = plan.InputVersions, Model = model,
        Epochs = plan.RetrainEpochs,
    };

    private static EvaluationRow Row(string target, int cost, JobResult result) =>
        new(target, cost, result.Figures.Where(f => f.Key.Contains('.', StringComparison.Ordinal)).ToDictionary(f => f.Key, f => f.Value));
}

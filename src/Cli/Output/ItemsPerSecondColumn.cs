using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Vectord.Cli.Output;

/// <summary>A progress column showing the task's speed as <c>12,345 items/s</c> (or another unit).</summary>
internal sealed class ItemsPerSecondColumn(string unit) : ProgressColumn
{
    /// <inheritdoc />
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        new Text(task.Speed is { } speed
            ? string.Create(CultureInfo.InvariantCulture, $"{speed:N0} {unit}/s")
            : $"- {unit}/s", new Style(Color.Blue));
}

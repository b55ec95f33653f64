# Reads the `name value unit` lines of optiscope at 1920x1080 and 3840x2160, then of
# matplotlib at the same sizes (files 1 to 4; matplotlib's may be empty), and prints one
# Markdown table. A ratio is how many times faster optiscope is.
FNR == 1 { file++ }
{
    for (i = 1; i <= NF; i++)
        if ($i ~ /^-?[0-9.]+(e[-+]?[0-9]+)?$/)
            break
    if (i > NF || i == 1)
        next
    name = $1
    for (k = 2; k < i; k++)
        name = name " " $k
    value[file, name] = $i
}

function cell(f, name, scale, digits, unit) {
    if (!((f, name) in value))
        return "–"
    return sprintf("%." digits "f%s", value[f, name] * scale, unit == "" ? "" : " " unit)
}

function ratio(o, m, name) {
    if (!((o, name) in value) || !((m, name) in value) || value[o, name] == 0)
        return "–"
    r = value[m, name] / value[o, name]
    return sprintf(r < 10 ? "%.1f×" : "%.0f×", r)
}

function row(label, name, scale, digits, unit, with_ratio) {
    printf "| %s | %s | %s | %s | %s | %s | %s |\n", label,
        cell(1, name, scale, digits, unit), cell(2, name, scale, digits, unit),
        cell(3, name, scale, digits, unit), cell(4, name, scale, digits, unit),
        with_ratio ? ratio(1, 3, name) : "", with_ratio ? ratio(2, 4, name) : ""
}

END {
    for (f = 1; f <= 4; f++)
        if ((f, "median") in value && value[f, "median"] > 0)
            value[f, "fps"] = 1000 / value[f, "median"]
    print "| measure | optiscope 1920×1080 | optiscope 3840×2160 | matplotlib 1920×1080 | matplotlib 3840×2160 | faster, 1080p | faster, 4K |"
    print "|---|---|---|---|---|---|---|"
    row("steady frame, median", "median", 1, 2, "ms", 1)
    row("steady frame, p95", "p95", 1, 2, "ms", 1)
    printf "| frames per second (median) | %s | %s | %s | %s | | |\n",
        cell(1, "fps", 1, 0, ""), cell(2, "fps", 1, 0, ""), cell(3, "fps", 1, 1, ""), cell(4, "fps", 1, 1, "")
    row("drag: frame while dragging, median", "drag median", 1, 2, "ms", 0)
    row("drag: frame while dragging, p95", "drag p95", 1, 2, "ms", 0)
    row("drag: exact picture after the release", "drag refine_ms", 1, 0, "ms", 0)
    row("zoom: first frame after a wheel step, median", "zoom first_median", 1, 2, "ms", 0)
    row("zoom: every frame until exact, median", "zoom median", 1, 2, "ms", 0)
    row("zoom: every frame until exact, p95", "zoom p95", 1, 2, "ms", 0)
    row("zoom: exact picture after a wheel step, median", "zoom exact_median", 1, 0, "ms", 0)
    row("view changed every frame, drawn exactly, median", "pan median", 1, 2, "ms", 0)
    row("3D view beside the map, camera standing, median", "surface median", 1, 2, "ms", 1)
    row("3D view, camera turning (all drawn again), median", "orbit median", 1, 2, "ms", 1)
    row("3D view's mesh, samples a side", "surface mesh", 1, 0, "", 0)
    row("simulation (8 runs), steps/s", "steps_per_second", 1e-6, 2, "M", 0)
    row("PNG of the frame shown", "png_ms", 1, 0, "ms", 0)
    row("picture drawn from scratch and saved as PNG", "shot_ms", 1, 0, "ms", 1)
    row("pixels sent per frame while paused", "idle_pixels_per_frame", 1, 0, "px", 0)
    row("peak memory", "peak_rss_mb", 1, 0, "MB", 0)
    row("a session (what a copy of it takes; the timeline apart)", "session_bytes", 1 / 1048576, 1, "MB", 0)
    row("the timeline (once per session)", "timeline_bytes", 1 / 1048576, 1, "MB", 0)
    row("text: the glyph atlas's memory", "atlas_kb", 1, 0, "kB", 0)
}

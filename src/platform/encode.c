/* The encoder behind --record and the window's recording key (see encode.h). Frames are
 * queued in a ring of NSLOTS copies; the encoding thread converts and compresses them
 * while the caller draws the next. */
#include "encode.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>

#include "output.h"

#define NSLOTS 4 /* frames queued at most: enough to keep both threads busy, little memory */
#define FRAME_NAME "frame-%04d.png"

typedef enum { KIND_VIDEO, KIND_GIF, KIND_FRAMES } Kind;

/* One row per format: the codec, its options and the muxer's. x264's veryfast preset at
 * CRF 20 keeps the heat map's gradients and thin isolines clean at a fraction of medium's
 * time; VP9 in realtime mode at cpu-used 8 with row threads is the only VP9 setting that
 * keeps up with drawing; the GIF palette is Bayer-dithered (error diffusion would shimmer
 * and defeat the GIF's frame differences) and redone only where a frame changed. */
typedef struct {
    const char *ext;
    Kind kind;
    const char *muxer, *codec;
    const char *codec_opts, *muxer_opts;
} Format;

static const Format formats[] = {
    { ".mp4", KIND_VIDEO, "mp4", "libx264", "preset=veryfast:crf=20", "movflags=+faststart" },
    { ".webm", KIND_VIDEO, "webm", "libvpx-vp9", "deadline=realtime:cpu-used=8:row-mt=1:crf=32:b=0", "" },
    { ".gif", KIND_GIF, "gif", "gif", "", "loop=0" },
    { "/", KIND_FRAMES, NULL, NULL, "", "" },
};

#define GIF_PALETTE "[in] palettegen=stats_mode=full [out]"
#define GIF_MAP "[in][pal] paletteuse=dither=bayer:bayer_scale=3:diff_mode=rectangle [out]"

struct Encoder {
    const Format *fmt;
    char path[PATH_MAX], temp[PATH_MAX];
    int w, h, ew, eh; /* frame size, and the size encoded (even for 4:2:0) */
    int fps, pass;
    int trailer_owed; /* the muxer's state is freed only by its trailer (the GIF muxer holds a packet) */
    long frames;      /* frames handed to the codec or written, this pass */
    /* FFmpeg */
    AVFormatContext *mux;
    AVCodecContext *codec;
    AVStream *stream;
    AVPacket *packet;
    AVFrame *yuv, *crop, *palette;
    struct SwsContext *sws;
    AVFilterGraph *graph;
    AVFilterContext *src, *pal_src, *sink;
    /* the queue */
    pthread_t thread;
    int thread_started, queue_ready;
    pthread_mutex_t lock;
    pthread_cond_t ready, room;
    AVFrame *slots[NSLOTS];
    long repeats[NSLOTS]; /* how many frames of the file each slot makes */
    int head, count, closing, failed;
    char err[256];
};

static const Format *format_of(const char *path)
{
    const size_t n = strlen(path);
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        const size_t k = strlen(formats[i].ext);
        if (n > k && strcasecmp(path + n - k, formats[i].ext) == 0)
            return &formats[i];
    }
    return NULL;
}

static int av_fail(char *err, size_t errlen, const char *what, const char *path, int code)
{
    char why[128];
    av_strerror(code, why, sizeof why);
    snprintf(err, errlen, "%s '%.200s' failed: %s", what, path, why);
    return -1;
}

/* The folder that holds path (without a trailing slash for a frames folder). */
static void parent_of(const char *path, char *dir, size_t len)
{
    snprintf(dir, len, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, len, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
}

/* The temporary name beside the final one: the folder's, a dot, the base name, a unique
 * suffix that mkstemp or mkdtemp fills in. */
static void temp_pattern(const char *path, char *out, size_t len)
{
    char dir[PATH_MAX];
    parent_of(path, dir, sizeof dir);
    const char *slash = strrchr(path, '/');
    snprintf(out, len, "%s/.%s.XXXXXX", dir, slash ? slash + 1 : path);
}

/* The final folder name: the path without its trailing slashes. */
static void strip_slashes(const char *path, char *out, size_t len)
{
    snprintf(out, len, "%s", path);
    for (size_t n = strlen(out); n > 1 && out[n - 1] == '/'; n--)
        out[n - 1] = '\0';
}

/* Calls fn on every entry of dir but . and .., with its path; returns how many there were. */
static int each_entry(const char *dir, void (*fn)(const char *path))
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    for (struct dirent *ent; (ent = readdir(d)) != NULL;) {
        if (!strcmp(ent->d_name, ".") || !strcmp(ent->d_name, ".."))
            continue;
        n++;
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        if (fn)
            fn(path);
    }
    closedir(d);
    return n;
}

static void remove_file(const char *path)
{
    unlink(path);
}

/* The temporary file, or folder of frames, beside the final name `final` (without a
 * trailing slash), unique by mkstemp or mkdtemp; -1 with errno when it cannot be made. */
static int make_temp(const char *final, Kind kind, char *out, size_t len)
{
    temp_pattern(final, out, len);
    if (kind == KIND_FRAMES)
        return mkdtemp(out) ? 0 : -1;
    const int fd = mkstemp(out);
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

int encode_check(const char *path, int w, int h, char *err, size_t errlen)
{
    const Format *f = format_of(path);
    if (!f) {
        snprintf(err, errlen, "cannot record '%.200s': name a .mp4, .webm or .gif file or a folder ending in /", path);
        return -1;
    }
    /* FFmpeg's own limit on a picture (av_image_check_size), which every encoder applies
     * when it opens; computed here, as that function would print a line of its own. */
    if (w <= 0 || h <= 0 || (uint64_t)(w + 128) * (uint64_t)(h + 128) >= INT_MAX / 8) {
        snprintf(err, errlen,
                 "cannot record %dx%d pixels: FFmpeg takes at most about 268 million, (width+128) x "
                 "(height+128); choose a smaller --size or --scale",
                 w, h);
        return -1;
    }
    char final[PATH_MAX], probe[PATH_MAX], dir[PATH_MAX];
    strip_slashes(path, final, sizeof final);
    struct stat st;
    if (f->kind == KIND_FRAMES && stat(final, &st) == 0 && (!S_ISDIR(st.st_mode) || each_entry(final, NULL) != 0)) {
        snprintf(err, errlen, "cannot record into '%.200s': it exists and is not an empty folder", path);
        return -1;
    }
    if (f->kind != KIND_FRAMES && stat(final, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "cannot record '%.200s': it is a folder (a folder of frames is named with a / at the end)",
                 path);
        return -1;
    }
    if (make_temp(final, f->kind, probe, sizeof probe) < 0) {
        const int e = errno;
        parent_of(final, dir, sizeof dir);
        snprintf(err, errlen, "cannot record '%.200s': folder '%.200s' takes no new files (%s)", path, dir,
                 strerror(e));
        return -1;
    }
    if (f->kind == KIND_FRAMES)
        rmdir(probe);
    else
        unlink(probe);
    return 0;
}

/* mkstemp and mkdtemp make what only the owner may read; the final name gets what any new
 * file or folder would. */
static void usual_mode(const char *path, mode_t all)
{
    const mode_t mask = umask(0);
    umask(mask);
    chmod(path, all & ~mask);
}

static int open_temp(Encoder *e, char *err, size_t errlen)
{
    if (make_temp(e->path, e->fmt->kind, e->temp, sizeof e->temp) < 0) {
        snprintf(err, errlen, "cannot record '%.200s': %s", e->path, strerror(errno));
        e->temp[0] = '\0';
        return -1;
    }
    usual_mode(e->temp, e->fmt->kind == KIND_FRAMES ? 0777 : 0666);
    return 0;
}

static int open_codec(Encoder *e, enum AVPixelFormat pix, char *err, size_t errlen)
{
    const AVCodec *codec = avcodec_find_encoder_by_name(e->fmt->codec);
    if (!codec) {
        snprintf(err, errlen, "cannot record '%.200s': this FFmpeg has no %s encoder", e->path, e->fmt->codec);
        return -1;
    }
    e->codec = avcodec_alloc_context3(codec);
    e->packet = av_packet_alloc();
    if (!e->codec || !e->packet) {
        snprintf(err, errlen, "out of memory for the encoder");
        return -1;
    }
    AVCodecContext *c = e->codec;
    c->width = e->ew;
    c->height = e->eh;
    c->pix_fmt = pix;
    c->time_base = (AVRational){ 1, e->fps };
    c->framerate = (AVRational){ e->fps, 1 };
    c->sample_aspect_ratio = (AVRational){ 1, 1 };
    c->thread_count = 0; /* as many as the machine has; libavcodec's own default is one */
    if (pix == AV_PIX_FMT_YUV420P) {
        c->color_range = AVCOL_RANGE_MPEG;
        c->colorspace = AVCOL_SPC_BT709;
        c->color_primaries = AVCOL_PRI_BT709;
        c->color_trc = AVCOL_TRC_BT709;
    }
    if (e->mux->oformat->flags & AVFMT_GLOBALHEADER)
        c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    AVDictionary *opts = NULL;
    av_dict_parse_string(&opts, e->fmt->codec_opts, "=", ":", 0);
    int rc = avcodec_open2(c, codec, &opts);
    av_dict_free(&opts);
    if (rc < 0)
        return av_fail(err, errlen, "opening the encoder for", e->path, rc);
    e->stream = avformat_new_stream(e->mux, NULL);
    if (!e->stream || avcodec_parameters_from_context(e->stream->codecpar, c) < 0) {
        snprintf(err, errlen, "out of memory for the encoder");
        return -1;
    }
    e->stream->time_base = c->time_base;
    e->stream->avg_frame_rate = c->framerate;
    return 0;
}

/* BGRA frames to the codec's 4:2:0 with BT.709 coefficients, as the stream says, on as
 * many threads as the machine has: at 1080p one thread would take 6 ms a frame. */
static int open_scaler(Encoder *e, char *err, size_t errlen)
{
    e->sws = sws_alloc_context();
    e->yuv = av_frame_alloc();
    e->crop = av_frame_alloc();
    int rc = e->sws && e->yuv && e->crop ? 0 : -1;
    const struct { const char *key; int64_t value; } opts[] = {
        { "srcw", e->ew }, { "srch", e->eh }, { "src_format", AV_PIX_FMT_BGRA },
        { "dstw", e->ew }, { "dsth", e->eh }, { "dst_format", AV_PIX_FMT_YUV420P },
        { "sws_flags", SWS_POINT }, { "threads", 0 },
    };
    for (size_t i = 0; i < sizeof opts / sizeof opts[0] && rc == 0; i++)
        rc = av_opt_set_int(e->sws, opts[i].key, opts[i].value, 0);
    if (rc == 0)
        rc = sws_init_context(e->sws, NULL, NULL);
    if (rc == 0) {
        const int *bt709 = sws_getCoefficients(SWS_CS_ITU709);
        rc = sws_setColorspaceDetails(e->sws, bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16);
    }
    if (rc == 0) {
        e->yuv->format = AV_PIX_FMT_YUV420P;
        e->yuv->width = e->ew;
        e->yuv->height = e->eh;
        rc = av_frame_get_buffer(e->yuv, 0);
    }
    if (rc < 0) {
        snprintf(err, errlen, "cannot set up the colour conversion for '%.200s'", e->path);
        return -1;
    }
    return 0;
}

/* The frame in the codec's colours; an odd last column or row is left out. */
static int convert(Encoder *e, const AVFrame *f)
{
    int rc = av_frame_make_writable(e->yuv);
    if (rc >= 0)
        rc = av_frame_ref(e->crop, f);
    if (rc < 0)
        return rc;
    e->crop->width = e->ew;
    e->crop->height = e->eh;
    rc = sws_scale_frame(e->sws, e->yuv, e->crop);
    av_frame_unref(e->crop);
    return rc;
}

static int open_muxer(Encoder *e, char *err, size_t errlen)
{
    int rc = avformat_alloc_output_context2(&e->mux, NULL, e->fmt->muxer, e->temp);
    if (rc < 0 || !e->mux)
        return av_fail(err, errlen, "recording", e->path, rc < 0 ? rc : AVERROR(ENOMEM));
    const enum AVPixelFormat pix = e->fmt->kind == KIND_GIF ? AV_PIX_FMT_PAL8 : AV_PIX_FMT_YUV420P;
    if (open_codec(e, pix, err, errlen) < 0)
        return -1;
    if ((rc = avio_open(&e->mux->pb, e->temp, AVIO_FLAG_WRITE)) < 0)
        return av_fail(err, errlen, "writing", e->path, rc);
    AVDictionary *opts = NULL;
    av_dict_parse_string(&opts, e->fmt->muxer_opts, "=", ":", 0);
    rc = avformat_write_header(e->mux, &opts);
    av_dict_free(&opts);
    if (rc < 0)
        return av_fail(err, errlen, "writing", e->path, rc);
    e->trailer_owed = 1;
    return 0;
}

static int graph_source(Encoder *e, AVFilterContext **src, const char *name, int w, int h, int pix)
{
    char args[160];
    snprintf(args, sizeof args, "video_size=%dx%d:pix_fmt=%d:time_base=1/%d:pixel_aspect=1/1", w, h, pix, e->fps);
    return avfilter_graph_create_filter(src, avfilter_get_by_name("buffer"), name, args, NULL, e->graph);
}

static AVFilterInOut *graph_end(const char *name, AVFilterContext *f, AVFilterInOut *next)
{
    AVFilterInOut *io = avfilter_inout_alloc();
    if (!io)
        return NULL;
    io->name = av_strdup(name);
    io->filter_ctx = f;
    io->pad_idx = 0;
    io->next = next;
    return io;
}

/* A filter graph from the frames (and, for the second pass, the palette) to one sink. */
static int open_graph(Encoder *e, const char *desc, char *err, size_t errlen)
{
    avfilter_graph_free(&e->graph);
    e->graph = avfilter_graph_alloc();
    int rc = e->graph ? 0 : AVERROR(ENOMEM);
    if (rc == 0)
        rc = graph_source(e, &e->src, "in", e->w, e->h, AV_PIX_FMT_BGRA);
    if (rc >= 0 && e->palette)
        rc = graph_source(e, &e->pal_src, "pal", e->palette->width, e->palette->height, e->palette->format);
    if (rc >= 0)
        rc = avfilter_graph_create_filter(&e->sink, avfilter_get_by_name("buffersink"), "out", NULL, NULL, e->graph);
    if (rc < 0)
        return av_fail(err, errlen, "preparing the palette of", e->path, rc);
    AVFilterInOut *outs = graph_end("in", e->src, e->palette ? graph_end("pal", e->pal_src, NULL) : NULL);
    AVFilterInOut *ins = graph_end("out", e->sink, NULL);
    rc = outs && ins ? avfilter_graph_parse_ptr(e->graph, desc, &ins, &outs, NULL) : AVERROR(ENOMEM);
    avfilter_inout_free(&ins);
    avfilter_inout_free(&outs);
    if (rc >= 0)
        rc = avfilter_graph_config(e->graph, NULL);
    if (rc < 0)
        return av_fail(err, errlen, "preparing the palette of", e->path, rc);
    return 0;
}

/* Every packet the codec has ready, into the file. */
static int drain_codec(Encoder *e, char *err, size_t errlen)
{
    for (;;) {
        int rc = avcodec_receive_packet(e->codec, e->packet);
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
            return 0;
        if (rc < 0)
            return av_fail(err, errlen, "encoding", e->path, rc);
        av_packet_rescale_ts(e->packet, e->codec->time_base, e->stream->time_base);
        e->packet->stream_index = e->stream->index;
        rc = av_interleaved_write_frame(e->mux, e->packet);
        if (rc < 0)
            return av_fail(err, errlen, "writing", e->path, rc);
    }
}

static int send_codec(Encoder *e, AVFrame *f, char *err, size_t errlen)
{
    const int rc = avcodec_send_frame(e->codec, f);
    if (rc < 0)
        return av_fail(err, errlen, "encoding", e->path, rc);
    return drain_codec(e, err, errlen);
}

/* What the filter graph has ready: in the first pass nothing (the palette comes at the end),
 * in the second, palette-mapped frames for the GIF codec. */
static int drain_graph(Encoder *e, char *err, size_t errlen)
{
    AVFrame *out = av_frame_alloc();
    if (!out) {
        snprintf(err, errlen, "out of memory for the GIF");
        return -1;
    }
    int rc = 0;
    while (rc >= 0) {
        rc = av_buffersink_get_frame(e->sink, out);
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) {
            rc = 0;
            break;
        }
        if (rc < 0) {
            av_fail(err, errlen, "making the GIF", e->path, rc);
            break;
        }
        rc = e->pass == 0 ? av_frame_ref(e->palette, out) : send_codec(e, out, err, errlen);
        av_frame_unref(out);
    }
    av_frame_free(&out);
    return rc < 0 ? -1 : 0;
}

static int write_png(Encoder *e, const AVFrame *f, char *err, size_t errlen)
{
    char name[PATH_MAX];
    snprintf(name, sizeof name, "%s/" FRAME_NAME, e->temp, (int)e->frames + 1);
    /* A canvas around the slot's pixels: without cover or damage records shot.c reads it as is. */
    const Canvas c = { .w = e->w, .h = e->h, .px = (uint32_t *)f->data[0] };
    char why[256];
    if (output_png(&c, name, why, sizeof why) < 0) {
        const char *reason = strrchr(why, ':');
        snprintf(err, errlen, "writing '%.200s/' failed at frame %ld: %s", e->path, e->frames + 1,
                 reason ? reason + 2 : why);
        return -1;
    }
    return 0;
}

/* The frame once, on the encoding thread. */
static int consume_one(Encoder *e, AVFrame *f, char *err, size_t errlen)
{
    int rc = 0;
    switch (e->fmt->kind) {
    case KIND_FRAMES:
        rc = write_png(e, f, err, errlen);
        break;
    case KIND_GIF:
        f->pts = e->frames;
        rc = av_buffersrc_add_frame_flags(e->src, f, AV_BUFFERSRC_FLAG_KEEP_REF);
        rc = rc < 0 ? av_fail(err, errlen, "making the GIF", e->path, rc) : drain_graph(e, err, errlen);
        break;
    case KIND_VIDEO:
        e->yuv->pts = e->frames;
        rc = send_codec(e, e->yuv, err, errlen);
        break;
    }
    e->frames++;
    return rc;
}

/* A queued frame, shown `repeat` times: converted once, then handed on that many times. */
static int consume(Encoder *e, AVFrame *f, long repeat, char *err, size_t errlen)
{
    const int rc = e->fmt->kind == KIND_VIDEO ? convert(e, f) : 0;
    if (rc < 0)
        return av_fail(err, errlen, "converting a frame of", e->path, rc);
    for (long i = 0; i < repeat; i++)
        if (consume_one(e, f, err, errlen) < 0)
            return -1;
    return 0;
}

static void *encode_thread(void *arg)
{
    Encoder *e = arg;
    pthread_mutex_lock(&e->lock);
    for (;;) {
        while (e->count == 0 && !e->closing)
            pthread_cond_wait(&e->ready, &e->lock);
        if (e->count == 0)
            break;
        AVFrame *f = e->slots[e->head];
        const long repeat = e->repeats[e->head];
        const int failed = e->failed;
        pthread_mutex_unlock(&e->lock);
        char err[sizeof e->err];
        const int rc = failed ? 0 : consume(e, f, repeat, err, sizeof err);
        pthread_mutex_lock(&e->lock);
        if (rc < 0) {
            e->failed = 1;
            memcpy(e->err, err, sizeof err);
        }
        e->head = (e->head + 1) % NSLOTS;
        e->count--;
        pthread_cond_signal(&e->room);
    }
    pthread_mutex_unlock(&e->lock);
    return NULL;
}

static int open_queue(Encoder *e, char *err, size_t errlen)
{
    for (int i = 0; i < NSLOTS; i++) {
        AVFrame *f = e->slots[i] = av_frame_alloc();
        if (!f) {
            snprintf(err, errlen, "out of memory for the recording's frames");
            return -1;
        }
        f->format = AV_PIX_FMT_BGRA;
        f->width = e->w;
        f->height = e->h;
        /* PNG frames are written as canvases, whose rows follow each other without padding. */
        if (av_frame_get_buffer(f, e->fmt->kind == KIND_FRAMES ? 1 : 0) < 0) {
            snprintf(err, errlen, "out of memory for the recording's frames");
            return -1;
        }
    }
    pthread_mutex_init(&e->lock, NULL);
    pthread_cond_init(&e->ready, NULL);
    pthread_cond_init(&e->room, NULL);
    e->queue_ready = 1;
    if (pthread_create(&e->thread, NULL, encode_thread, e) != 0) {
        snprintf(err, errlen, "cannot start the encoding thread");
        return -1;
    }
    e->thread_started = 1;
    return 0;
}

static int open_all(Encoder *e, char *err, size_t errlen)
{
    if (open_temp(e, err, errlen) < 0)
        return -1;
    if (e->fmt->kind != KIND_FRAMES && open_muxer(e, err, errlen) < 0)
        return -1;
    if (e->fmt->kind == KIND_VIDEO && open_scaler(e, err, errlen) < 0)
        return -1;
    if (e->fmt->kind == KIND_GIF && open_graph(e, GIF_PALETTE, err, errlen) < 0)
        return -1;
    return open_queue(e, err, errlen);
}

Encoder *encode_open(const char *path, int w, int h, int fps, char *err, size_t errlen)
{
    const Format *f = format_of(path);
    if (!f || w < 2 || h < 2 || fps < 1) {
        snprintf(err, errlen, "cannot record '%.200s' (%dx%d at %d fps)", path, w, h, fps);
        return NULL;
    }
    Encoder *e = calloc(1, sizeof *e);
    if (!e) {
        snprintf(err, errlen, "out of memory for the encoder");
        return NULL;
    }
    av_log_set_level(AV_LOG_QUIET); /* every failure comes back as our one line */
    e->fmt = f;
    strip_slashes(path, e->path, sizeof e->path);
    e->w = w;
    e->h = h;
    e->ew = f->kind == KIND_VIDEO ? w & ~1 : w; /* 4:2:0 halves both sides: the odd last column or row goes */
    e->eh = f->kind == KIND_VIDEO ? h & ~1 : h;
    e->fps = fps;
    if (open_all(e, err, errlen) < 0) {
        encode_abort(e);
        return NULL;
    }
    return e;
}

int encode_passes(const Encoder *e)
{
    return e->fmt->kind == KIND_GIF ? 2 : 1;
}

/* Waits until the thread has taken every queued frame; returns with the lock held. */
static void wait_idle(Encoder *e)
{
    pthread_mutex_lock(&e->lock);
    while (e->count > 0)
        pthread_cond_wait(&e->room, &e->lock);
}

static int queue_failed(Encoder *e, char *err, size_t errlen)
{
    if (!e->failed)
        return 0;
    snprintf(err, errlen, "%s", e->err);
    return -1;
}

/* The palette made from every frame of the first pass, then the graph that maps the frames
 * of the second onto it. */
int encode_next_pass(Encoder *e, char *err, size_t errlen)
{
    wait_idle(e);
    int rc = queue_failed(e, err, errlen);
    pthread_mutex_unlock(&e->lock);
    if (rc < 0 || e->fmt->kind != KIND_GIF || e->pass > 0)
        return rc;
    e->palette = av_frame_alloc();
    if (!e->palette) {
        snprintf(err, errlen, "out of memory for the GIF's palette");
        return -1;
    }
    if ((rc = av_buffersrc_add_frame(e->src, NULL)) < 0)
        return av_fail(err, errlen, "making the palette of", e->path, rc);
    if (drain_graph(e, err, errlen) < 0)
        return -1;
    if (!e->palette->data[0]) {
        snprintf(err, errlen, "making the palette of '%.200s' failed: no frames", e->path);
        return -1;
    }
    e->pass = 1;
    e->frames = 0;
    if (open_graph(e, GIF_MAP, err, errlen) < 0)
        return -1;
    e->palette->pts = 0;
    rc = av_buffersrc_add_frame_flags(e->pal_src, e->palette, AV_BUFFERSRC_FLAG_KEEP_REF);
    if (rc >= 0)
        rc = av_buffersrc_add_frame(e->pal_src, NULL);
    return rc < 0 ? av_fail(err, errlen, "making the GIF", e->path, rc) : 0;
}

int encode_frame(Encoder *e, const uint32_t *px, int stride, long repeat, char *err, size_t errlen)
{
    pthread_mutex_lock(&e->lock);
    while (e->count == NSLOTS && !e->failed)
        pthread_cond_wait(&e->room, &e->lock);
    const int slot = (e->head + e->count) % NSLOTS;
    const int rc = queue_failed(e, err, errlen);
    pthread_mutex_unlock(&e->lock);
    if (rc < 0)
        return -1;
    AVFrame *f = e->slots[slot];
    /* A filter may still hold this buffer (paletteuse keeps the last frame): then the slot
     * gets a buffer of its own. */
    if (av_frame_make_writable(f) < 0) {
        snprintf(err, errlen, "out of memory for the recording's frames");
        return -1;
    }
    for (int y = 0; y < e->h; y++)
        memcpy(f->data[0] + (size_t)y * f->linesize[0], px + (size_t)y * stride, (size_t)e->w * 4);
    pthread_mutex_lock(&e->lock);
    e->repeats[slot] = repeat;
    e->count++;
    pthread_cond_signal(&e->ready);
    pthread_mutex_unlock(&e->lock);
    return 0;
}

FILE *encode_side_file(Encoder *e, const char *name, char *err, size_t errlen)
{
    if (e->fmt->kind != KIND_FRAMES)
        return NULL;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", e->temp, name);
    FILE *f = fopen(path, "w");
    if (!f)
        snprintf(err, errlen, "cannot write '%.200s/%s': %s", e->path, name, strerror(errno));
    return f;
}

const char *encode_path(const Encoder *e)
{
    return e->path;
}

static void stop_thread(Encoder *e)
{
    if (!e->thread_started)
        return;
    pthread_mutex_lock(&e->lock);
    e->closing = 1;
    pthread_cond_signal(&e->ready);
    pthread_mutex_unlock(&e->lock);
    pthread_join(e->thread, NULL);
    e->thread_started = 0;
}

/* The codec's delayed frames and the file's end; the frames of a GIF still in its graph first. */
static int flush_file(Encoder *e, char *err, size_t errlen)
{
    int rc;
    if (e->fmt->kind == KIND_GIF) {
        if ((rc = av_buffersrc_add_frame(e->src, NULL)) < 0)
            return av_fail(err, errlen, "making the GIF", e->path, rc);
        if (drain_graph(e, err, errlen) < 0)
            return -1;
    }
    if (send_codec(e, NULL, err, errlen) < 0)
        return -1;
    e->trailer_owed = 0;
    if ((rc = av_write_trailer(e->mux)) < 0)
        return av_fail(err, errlen, "writing", e->path, rc);
    if (e->mux->pb->error < 0)
        return av_fail(err, errlen, "writing", e->path, e->mux->pb->error);
    if ((rc = avio_closep(&e->mux->pb)) < 0)
        return av_fail(err, errlen, "writing", e->path, rc);
    return 0;
}

static int move_into_place(Encoder *e, char *err, size_t errlen)
{
    if (rename(e->temp, e->path) < 0) {
        snprintf(err, errlen, "cannot put the recording at '%.200s': %s", e->path, strerror(errno));
        return -1;
    }
    e->temp[0] = '\0';
    return 0;
}

int encode_finish(Encoder *e, char *err, size_t errlen)
{
    stop_thread(e);
    int rc = queue_failed(e, err, errlen);
    if (rc == 0 && e->fmt->kind != KIND_FRAMES)
        rc = flush_file(e, err, errlen);
    if (rc == 0)
        rc = move_into_place(e, err, errlen);
    encode_abort(e);
    return rc;
}

void encode_abort(Encoder *e)
{
    if (!e)
        return;
    stop_thread(e);
    if (e->trailer_owed)
        av_write_trailer(e->mux); /* into a file about to be removed: only to free what it holds */
    if (e->mux && e->mux->pb)
        avio_closep(&e->mux->pb);
    if (e->temp[0] && e->fmt->kind == KIND_FRAMES) {
        each_entry(e->temp, remove_file);
        rmdir(e->temp);
    } else if (e->temp[0]) {
        unlink(e->temp);
    }
    avformat_free_context(e->mux);
    avcodec_free_context(&e->codec);
    av_packet_free(&e->packet);
    av_frame_free(&e->yuv);
    av_frame_free(&e->crop);
    av_frame_free(&e->palette);
    sws_freeContext(e->sws);
    avfilter_graph_free(&e->graph);
    for (int i = 0; i < NSLOTS; i++)
        av_frame_free(&e->slots[i]);
    if (e->queue_ready) {
        pthread_cond_destroy(&e->room);
        pthread_cond_destroy(&e->ready);
        pthread_mutex_destroy(&e->lock);
    }
    free(e);
}

// libvips for Aduan's photo processing. Swift cannot call C variadic functions, and most of libvips's operations are
// variadic (optional arguments end in NULL), so each call Aduan makes is wrapped here in a fixed-argument function.
#include <vips/vips.h>

/// Starts libvips once per process: no operation cache (every photo is new), one worker thread per operation (Aduan
/// bounds how many photos are processed at once), and only the loaders of the formats Aduan accepts.
static inline int aduan_vips_start(void) {
    if (VIPS_INIT("aduan")) return -1;
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_concurrency_set(1);
    vips_block_untrusted_set(TRUE);
    vips_operation_block_set("VipsForeignLoad", TRUE);
    vips_operation_block_set("VipsForeignLoadJpeg", FALSE);
    vips_operation_block_set("VipsForeignLoadPng", FALSE);
    vips_operation_block_set("VipsForeignLoadWebp", FALSE);
    vips_operation_block_set("VipsForeignLoadHeif", FALSE);
    return 0;
}

/// Formats, as Aduan numbers them: 1 JPEG, 2 PNG, 3 WebP, 4 HEIF.
/// Opens a photo from memory with the loader of the format its bytes announced. Only the header is read here; pixels
/// are decoded later, and a truncated or corrupt image fails then rather than coming out grey.
static inline VipsImage *aduan_vips_open(const void *bytes, size_t length, int format) {
    VipsImage *image = NULL;
    int failed = -1;
    switch (format) {
    case 1: failed = vips_jpegload_buffer((void *)bytes, length, &image, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_TRUNCATED, NULL); break;
    case 2: failed = vips_pngload_buffer((void *)bytes, length, &image, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_TRUNCATED, NULL); break;
    case 3: failed = vips_webpload_buffer((void *)bytes, length, &image, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_TRUNCATED, NULL); break;
    case 4: failed = vips_heifload_buffer((void *)bytes, length, &image, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_TRUNCATED, NULL); break;
    default: return NULL;
    }
    return failed ? NULL : image;
}

/// Shrinks to fit a width x height box (never enlarging) in the stored orientation: turning upright is a separate
/// step (thumbnail would otherwise rotate by the EXIF orientation on its own).
static inline VipsImage *aduan_vips_fit(VipsImage *in, int width, int height) {
    VipsImage *out = NULL;
    return vips_thumbnail_image(in, &out, width, "height", height, "size", VIPS_SIZE_DOWN, "no_rotate", TRUE, NULL) ? NULL : out;
}

/// Shrinks or stretches to exactly width x height, in 8-bit grey: the input of a perceptual hash.
static inline VipsImage *aduan_vips_grey_exact(VipsImage *in, int width, int height) {
    VipsImage *small = NULL, *grey = NULL, *band = NULL, *out = NULL;
    if (vips_thumbnail_image(in, &small, width, "height", height, "size", VIPS_SIZE_FORCE, "no_rotate", TRUE, NULL)) return NULL;
    int failed = vips_colourspace(small, &grey, VIPS_INTERPRETATION_B_W, NULL);
    g_object_unref(small);
    if (failed) return NULL;
    failed = vips_extract_band(grey, &band, 0, NULL);
    g_object_unref(grey);
    if (failed) return NULL;
    failed = vips_cast(band, &out, VIPS_FORMAT_UCHAR, NULL);
    g_object_unref(band);
    return failed ? NULL : out;
}

/// Turns the pixels upright as the EXIF orientation says, and clears the orientation.
static inline VipsImage *aduan_vips_upright(VipsImage *in, int orientation) {
    VipsImage *out = NULL;
    vips_image_set_int(in, VIPS_META_ORIENTATION, orientation);
    return vips_autorot(in, &out, NULL) ? NULL : out;
}

/// sRGB without alpha (transparency flattened onto white), 8 bits per band: what a JPEG copy can hold.
static inline VipsImage *aduan_vips_srgb(VipsImage *in) {
    VipsImage *rgb = NULL, *flat = NULL, *out = NULL;
    if (vips_colourspace(in, &rgb, VIPS_INTERPRETATION_sRGB, NULL)) return NULL;
    if (vips_image_hasalpha(rgb)) {
        double white[3] = {255, 255, 255};
        VipsArrayDouble *background = vips_array_double_new(white, 3);
        int failed = vips_flatten(rgb, &flat, "background", background, NULL);
        vips_area_unref(VIPS_AREA(background));
        g_object_unref(rgb);
        if (failed) return NULL;
    } else {
        flat = rgb;
    }
    int failed = vips_cast(flat, &out, VIPS_FORMAT_UCHAR, NULL);
    g_object_unref(flat);
    return failed ? NULL : out;
}

/// Encodes a JPEG with no metadata at all (no EXIF, XMP, IPTC or ICC profile): GPS, camera serial and time are gone.
static inline int aduan_vips_jpeg_stripped(VipsImage *in, int quality, void **bytes, size_t *length) {
    return vips_jpegsave_buffer(in, bytes, length, "Q", quality, "strip", TRUE, "optimize_coding", TRUE, NULL);
}

/// The raw EXIF block (a TIFF structure) the loader found, or NULL.
static inline const void *aduan_vips_exif(VipsImage *in, size_t *length) {
    const void *data = NULL;
    if (!vips_image_get_typeof(in, VIPS_META_EXIF_NAME)) return NULL;
    if (vips_image_get_blob(in, VIPS_META_EXIF_NAME, &data, length)) return NULL;
    return data;
}

static inline int aduan_vips_orientation(VipsImage *in) { return vips_image_get_orientation(in); }
static inline void aduan_vips_unref(VipsImage *image) { if (image) g_object_unref(image); }
static inline void aduan_vips_free(void *bytes) { g_free(bytes); }

// IDX files (LeCun's MNIST format, also Fashion-MNIST's): a 4-byte magic 0x00 0x00 <type> <ndims>,
// ndims big-endian uint32 dimensions, then the data. Read through zlib's gz* API, which also reads
// uncompressed files unchanged, so `foo-ubyte` and `foo-ubyte.gz` take the same path.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>
#include <zlib.h>

#include "sim/error.h"
#include "supercircuit/data_text.h"
#include "supercircuit/dataset.h"

namespace qnas::supercircuit {
namespace {

using detail::cat;
using detail::fail;

// A gz handle that closes itself; reads report short counts, errors throw naming the file.
class GzReader {
public:
    explicit GzReader(const std::string& path) : path_(path) {
        // gzopen reports a missing file only as a null handle; fopen first for a clearer message.
        if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
            std::fclose(f);
        } else {
            fail(path, "cannot open file");
        }
        gz_ = gzopen(path.c_str(), "rb");
        if (gz_ == nullptr) fail(path, "cannot open file");
        gzbuffer(gz_, 1 << 18);
    }
    ~GzReader() {
        if (gz_ != nullptr) gzclose(gz_);
    }
    GzReader(const GzReader&) = delete;
    GzReader& operator=(const GzReader&) = delete;

    // Reads up to n bytes; returns how many were read (< n only at the end of the data).
    std::size_t read(std::uint8_t* dst, std::size_t n) {
        std::size_t done = 0;
        while (done < n) {
            const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(n - done, 1u << 30));
            const int got = gzread(gz_, dst + done, chunk);
            if (got < 0) {
                int code = 0;
                const std::string why = gzerror(gz_, &code);
                fail(path_, cat("corrupt or truncated gzip data (", why, ")"));
            }
            if (got == 0) break;
            done += static_cast<std::size_t>(got);
        }
        return done;
    }
    // Closes the stream; a gzip stream that ended early (some zlib versions report that only
    // here, as Z_BUF_ERROR) is an error.
    void close() {
        const int rc = gzclose(gz_);
        gz_ = nullptr;
        if (rc == Z_BUF_ERROR) fail(path_, "truncated gzip data (the compressed stream ends early)");
        if (rc != Z_OK) fail(path_, "corrupt gzip data");
    }

private:
    std::string path_;
    gzFile gz_ = nullptr;
};

std::uint32_t big_endian32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}

}  // namespace

// Streams header, dimensions and exactly the data they announce (no oversized buffer, no copy),
// then probes one byte more to reject trailing data.
IdxArray read_idx(const std::string& path) {
    GzReader in(path);
    std::uint8_t magic[4] = {0, 0, 0, 0};
    const std::size_t got = in.read(magic, 4);
    if (got < 4) fail(path, cat("truncated IDX header (", got, " bytes)"));
    if (magic[0] != 0 || magic[1] != 0) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "not an IDX file (magic %02x %02x %02x %02x, expected 00 00 08 <ndims>)",
                      magic[0], magic[1], magic[2], magic[3]);
        fail(path, buf);
    }
    if (magic[2] != 0x08) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "IDX data type 0x%02x not supported (only 0x08, unsigned byte)", magic[2]);
        fail(path, buf);
    }
    const int ndims = magic[3];
    if (ndims < 1 || ndims > 4) fail(path, cat("IDX dimension count ", ndims, " not in [1, 4]"));
    std::uint8_t dims[16];
    const std::size_t header = 4 + 4 * static_cast<std::size_t>(ndims);
    const std::size_t got_dims = in.read(dims, header - 4);
    if (got_dims < header - 4) {
        fail(path, cat("truncated IDX header (", 4 + got_dims, " bytes, ", ndims, " dimensions need ", header, ")"));
    }
    IdxArray out;
    std::uint64_t count = 1;
    for (int d = 0; d < ndims; ++d) {
        const std::uint32_t n = big_endian32(dims + 4 * d);
        out.dims.push_back(n);
        count *= n;
        if (count > (std::uint64_t{1} << 36)) fail(path, "IDX dimensions too large (more than 2^36 bytes of data)");
    }
    out.data.resize(static_cast<std::size_t>(count));
    const std::size_t have = in.read(out.data.data(), out.data.size());
    if (have < count) {
        fail(path, cat("truncated IDX data (", have, " bytes after the header, the dimensions need ", count, ")"));
    }
    std::uint8_t extra[4096];
    std::size_t n_extra = 0;
    for (std::size_t n; (n = in.read(extra, sizeof extra)) > 0;) n_extra += n;
    if (n_extra > 0) fail(path, cat("IDX file longer than its dimensions (", n_extra, " extra bytes)"));
    in.close();
    return out;
}

ByteImages load_idx_images_u8(const std::string& images_path, const std::string& labels_path) {
    IdxArray images = read_idx(images_path);
    if (images.dims.size() != 3 || images.dims[1] != 28 || images.dims[2] != 28) {
        std::string dims;
        for (std::size_t i = 0; i < images.dims.size(); ++i) {
            if (i) dims.append("×");
            dims.append(std::to_string(images.dims[i]));
        }
        fail(images_path, cat("expected images of dimensions N×28×28, got ", dims));
    }
    const IdxArray labels = read_idx(labels_path);
    if (labels.dims.size() != 1) {
        fail(labels_path, cat("expected a 1-dimensional label file, got ", labels.dims.size(), " dimensions"));
    }
    if (labels.dims[0] != images.dims[0]) {
        fail(labels_path, cat(labels.dims[0], " labels for ", images.dims[0], " images in ", images_path));
    }
    ByteImages out;
    out.labels.reserve(labels.data.size());
    for (std::size_t i = 0; i < labels.data.size(); ++i) {
        if (labels.data[i] > 9) {
            fail(labels_path, cat("label ", int{labels.data[i]}, " of sample ", i, " not in [0, 9]"));
        }
        out.labels.push_back(labels.data[i]);
    }
    out.pixels = std::move(images.data);
    return out;
}

Images load_idx_images(const std::string& images_path, const std::string& labels_path) {
    ByteImages bytes = load_idx_images_u8(images_path, labels_path);
    Images out;
    out.labels = std::move(bytes.labels);
    out.pixels.resize(bytes.pixels.size());
    for (std::size_t i = 0; i < bytes.pixels.size(); ++i) out.pixels[i] = static_cast<float>(bytes.pixels[i]) / 255.0f;
    return out;
}

}  // namespace qnas::supercircuit

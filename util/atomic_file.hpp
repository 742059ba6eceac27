// Output files that are whole or absent. Every file stateproof writes (exported models,
// traces, reports, pcaps, suites) goes through here: the bytes go to a temporary file in
// the destination's directory, every write, fsync and close is checked, and only a
// complete file is renamed over the destination. On any error the temporary file is
// removed, the destination is left as it was, and *error says what failed and why
// ("cannot write out.pml: No space left on device").
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace sp::util {

// A file being written atomically. open() creates the temporary file; write() appends
// (an error is remembered and reported by commit()); commit() makes it the destination.
// Destroyed without a successful commit(), the temporary file is removed.
//
// A destination that exists and is not a regular file (a device such as /dev/null or
// /dev/full, a FIFO) cannot be replaced: it is opened and written in place, errors
// still checked. A symbolic link is followed: the file it names is replaced.
class AtomicFile {
 public:
  AtomicFile() = default;
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  bool open(const std::string& path, std::string* error);
  bool write(std::string_view data);
  bool commit(std::string* error);
  void abort();

  // The file being written (the temporary one, or the destination when written in
  // place): for a tool that writes the output itself (Graphviz's dot -o).
  const std::string& temp_path() const { return temp_; }

 private:
  std::string path_;  // the destination as given (for messages)
  std::string target_;  // where the rename goes ("" when written in place)
  std::string temp_;
  int fd_ = -1;
  int errno_ = 0;  // first write error
};

// The whole of `content` as the file `path`, atomically (AtomicFile).
bool write_file_atomic(const std::string& path, std::string_view content, std::string* error);

// `content` as `path` with every write and the close checked but no temporary file: for
// files inside a directory that is itself renamed into place when complete
// (replace_directory). On error the partial file is removed.
bool write_file_checked(const std::string& path, std::string_view content, std::string* error);

// A new empty directory beside `path` (same parent, so same filesystem) to build its
// replacement in: "<parent>/.<name>.tmp-XXXXXX". "" with *error set on failure.
std::string make_temp_dir_beside(const std::string& path, std::string* error);

// Makes the complete directory `built` (from make_temp_dir_beside) the directory `path`:
// its contents are flushed to disk, then it is renamed into place; when `path` exists,
// the two are exchanged and the entries of the old directory for which `keep` returns
// true are moved into the new one (unless it has an entry of that name), then the old
// directory is removed. On failure `path` is unchanged, `built` is removed and *error
// is set.
using KeepEntry = std::function<bool(const std::string& name)>;
bool replace_directory(const std::string& built, const std::string& path, KeepEntry keep,
                       std::string* error);

}  // namespace sp::util

#include "runtime/IsolatedBuild.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/wait.h>
#include <unistd.h>

namespace oxptx::runtime {
namespace {

bool writeAll(int fd, const void *data, size_t size) {
  const char *p = static_cast<const char *>(data);
  while (size) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    p += n;
    size -= size_t(n);
  }
  return true;
}

bool writeString(int fd, const std::string &s) {
  uint64_t size = s.size();
  return writeAll(fd, &size, sizeof size) && writeAll(fd, s.data(), s.size());
}

bool readAll(int fd, void *data, size_t size) {
  char *p = static_cast<char *>(data);
  while (size) {
    ssize_t n = ::read(fd, p, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    p += n;
    size -= size_t(n);
  }
  return true;
}

bool readString(int fd, std::string &s) {
  uint64_t size = 0;
  if (!readAll(fd, &size, sizeof size) || size > (uint64_t(1) << 34))
    return false;
  s.resize(size);
  return readAll(fd, s.data(), size);
}

} // namespace

backend::ImageResult buildImageIsolated(std::string_view ptx, std::string_view name,
                                        const backend::BackendOptions &options) {
  backend::ImageResult result;
  int fds[2];
  if (::pipe(fds) != 0)
    return backend::buildImage(ptx, name, options); // no pipe: build in this process
  pid_t child = ::fork();
  if (child < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return backend::buildImage(ptx, name, options);
  }
  if (child == 0) { // the child builds, reports and leaves without running the parent's atexit
    ::close(fds[0]);
    backend::ImageResult built = backend::buildImage(ptx, name, options);
    bool ok = writeString(fds[1], built.image) && writeString(fds[1], built.errors);
    ::close(fds[1]);
    ::_exit(ok ? 0 : 1);
  }
  ::close(fds[1]);
  std::string image, errors;
  bool complete = readString(fds[0], image) && readString(fds[0], errors);
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!complete || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    result.errors = std::string(name) + ": internal error: the OxCore backend stopped while building this module" +
                    (WIFSIGNALED(status) ? std::string(" (") + strsignal(WTERMSIG(status)) + ")" : std::string()) +
                    "; please report it with the PTX file\n";
    return result;
  }
  result.image = std::move(image);
  result.errors = std::move(errors);
  return result; // kernels: read from the image's metadata by the loader
}

} // namespace oxptx::runtime

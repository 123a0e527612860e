#include "tools/mcctl/progress.h"

#include <string>

namespace microcred::mcctl {
namespace {

constexpr int kBarWidth = 30;

}  // namespace

void Progress::Update(int done, int issued, int refused) {
  const std::string counts = std::to_string(issued) + "/" + std::to_string(total_);
  const std::string refusals = refused > 0 ? ", " + std::to_string(refused) + " refused" : "";
  if (!terminal_) {
    out_ << "issued " << counts << refusals << "\n";
    return;
  }
  const int filled = total_ > 0 ? done * kBarWidth / total_ : kBarWidth;
  out_ << "\r[" << std::string(filled, '#') << std::string(kBarWidth - filled, '.') << "] " << done
       << "/" << total_ << " rows, issued " << issued << refusals << "\x1b[K";
  out_.flush();
  drawn_ = true;
}

void Progress::Finish() {
  if (terminal_ && drawn_) out_ << "\n";
  drawn_ = false;
}

}  // namespace microcred::mcctl

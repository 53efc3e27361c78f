// Warp-level operations as convergent ox.* calls the backend maps onto vector lanes: shuffles
// (with the lane operand, the clamp/segment operand and the member mask kept intact), votes,
// activemask, match, redux, elect and bar.warp.sync. Legacy forms without .sync act on the whole
// warp (member mask 0xffffffff).
#include "translate/FunctionLowering.h"

namespace oxptx::translate {
namespace {

using ptx::Mod;

/// Writes a {value, predicate} result to `d` or `d|p`.
bool writePair(FunctionLowering &l, const ptx::Operand &dest, llvm::Value *pair, ptx::Type t) {
  llvm::Value *value = l.b.CreateExtractValue(pair, 0);
  if (dest.kind == ptx::Operand::Kind::PredPair)
    return l.write(dest.elements[0], value, t) &&
           l.write(dest.elements[1], l.b.CreateExtractValue(pair, 1), ptx::Type::Pred);
  return l.write(dest, value, t);
}

} // namespace

bool lowerWarp(FunctionLowering &l, const ptx::Instruction &inst) {
  llvm::IRBuilder<> &b = l.b;
  bool sync = inst.modifier(ptx::ModGroup::Sync).has_value();
  auto mask = [&](size_t i) -> llvm::Value * {
    return sync ? (i < inst.operands.size() ? l.read(inst.operands[i], ptx::Type::B32) : nullptr)
                : b.getInt32(0xffffffff);
  };
  switch (inst.opcode) {
  case ptx::Opcode::Shfl: {
    static constexpr const char *kModes[] = {"up", "down", "bfly", "idx"};
    Mod mode = inst.mod(ptx::ModGroup::ShuffleMode);
    size_t index = mode == Mod::ShuffleMode_Up ? 0 : mode == Mod::ShuffleMode_Down ? 1
                   : mode == Mod::ShuffleMode_Bfly ? 2 : 3;
    llvm::Value *a = l.read(inst.operands[1], ptx::Type::B32);
    llvm::Value *lane = l.read(inst.operands[2], ptx::Type::B32);
    llvm::Value *clamp = l.read(inst.operands[3], ptx::Type::B32);
    llvm::Value *members = mask(4);
    if (!a || !lane || !clamp || !members)
      return l.unsupported(inst, "an operand");
    llvm::Type *pair = llvm::StructType::get(b.getInt32Ty(), b.getInt1Ty());
    llvm::Value *r = l.convergentCall(std::string("ox.shfl.sync.") + kModes[index], pair,
                                    {a, lane, clamp, members});
    return writePair(l, inst.operands[0], r, ptx::Type::B32) || l.unsupported(inst, "the destination");
  }
  case ptx::Opcode::Vote: {
    Mod mode = inst.mod(ptx::ModGroup::VoteMode);
    llvm::Value *p = l.predicate(inst.operands[1]);
    llvm::Value *members = mask(2);
    if (!p || !members)
      return l.unsupported(inst, "an operand");
    bool ballot = mode == Mod::VoteMode_Ballot;
    const char *name = ballot ? "ballot" : mode == Mod::VoteMode_All ? "all" : mode == Mod::VoteMode_Any ? "any" : "uni";
    llvm::Value *r = l.convergentCall(std::string("ox.vote.sync.") + name,
                                    ballot ? b.getInt32Ty() : b.getInt1Ty(), {p, members});
    return l.write(inst.operands[0], r, ballot ? ptx::Type::B32 : ptx::Type::Pred) ||
           l.unsupported(inst, "the destination");
  }
  case ptx::Opcode::Activemask:
    return l.write(inst.operands[0], l.convergentCall("ox.activemask", b.getInt32Ty(), {}), ptx::Type::B32) ||
           l.unsupported(inst, "the destination");
  case ptx::Opcode::BarWarpSync: {
    llvm::Value *members = l.read(inst.operands[0], ptx::Type::B32);
    if (!members)
      return l.unsupported(inst, "the member mask");
    l.convergentCall("ox.warp.sync", b.getVoidTy(), {members});
    return true;
  }
  case ptx::Opcode::Match: { // match.any: lanes with the same value; match.all: d|p
    ptx::Type t = inst.types()[0];
    llvm::Value *a = l.read(inst.operands[1], t), *members = mask(2);
    if (!a || !members)
      return l.unsupported(inst, "an operand");
    std::string suffix = ptx::typeInfo(t).bits == 64 ? ".b64" : ".b32";
    if (inst.mod(ptx::ModGroup::MatchMode) == Mod::MatchMode_Any)
      return l.write(inst.operands[0], l.convergentCall("ox.match.any.sync" + suffix, b.getInt32Ty(), {a, members}),
                     ptx::Type::B32) ||
             l.unsupported(inst, "the destination");
    llvm::Type *pair = llvm::StructType::get(b.getInt32Ty(), b.getInt1Ty());
    return writePair(l, inst.operands[0], l.convergentCall("ox.match.all.sync" + suffix, pair, {a, members}),
                     ptx::Type::B32) ||
           l.unsupported(inst, "the destination");
  }
  case ptx::Opcode::Redux: { // redux.sync.<op>.<type>: the reduction over the member lanes
    ptx::Type t = inst.types()[0];
    if (t == ptx::Type::F32)
      return l.unsupported(inst, "f32 reductions (sm_100a)");
    ptx::Mod op = inst.mod(ptx::ModGroup::AtomicOp);
    llvm::Value *a = l.read(inst.operands[1], t), *members = mask(2);
    if (op == Mod::None || !a || !members)
      return l.unsupported(inst, "an operand");
    std::string name = "ox.redux.sync." + std::string(ptx::modInfo(op).spelling) + "." +
                       std::string(ptx::typeInfo(t).spelling);
    return l.write(inst.operands[0], l.convergentCall(name, b.getInt32Ty(), {a, members}), t) ||
           l.unsupported(inst, "the destination");
  }
  case ptx::Opcode::Elect: { // elect.sync d|p: the leader's lane in d, true in the leader's p
    llvm::Value *members = l.read(inst.operands[1], ptx::Type::B32);
    if (!members)
      return l.unsupported(inst, "the member mask");
    llvm::Type *pair = llvm::StructType::get(b.getInt32Ty(), b.getInt1Ty());
    return writePair(l, inst.operands[0], l.convergentCall("ox.elect.sync", pair, {members}), ptx::Type::B32) ||
           l.unsupported(inst, "the destination");
  }
  default: return l.unsupported(inst, "the instruction");
  }
}

} // namespace oxptx::translate

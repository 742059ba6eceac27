// Bounded lists (list<T, N>): a relay buffers up to B items in a list and forwards them
// as one batch (a list in a message); the consumer appends each batch to what it got.
// `l + [x]` appends, `l[i]` indexes from 0, len/empty/nfull test a list as a channel.
// Used by the SPIN and symbolic agreement tests; `late` is violated on purpose.
protocol list_relay "list<T, N>: append, index, len, empty, nfull, head, tail, lists in messages"

const N = 3                    // items the producer sends: 0, 1, ..., N - 1
const B = 2                    // the relay's buffer
type Item = int[0..N - 1]
type Idx = int[0..N - 1]

message One { d: Item }
message Batch { items: list<Item, B> }

role Producer {
  port out: One
  states RUN
  initial RUN
  var nxt: int[0..N] = 0
  produce: from RUN on internal if nxt < N -> same {
    send out { d = nxt }
    nxt = nxt + 1
  }
}

role Relay {
  port inp: One
  port out: Batch
  states RUN
  initial RUN
  var buf: list<Item, B> = []
  take: from RUN on recv inp(m) if nfull(buf) -> same {
    buf = buf + [m.d]
  }
  // Forward the whole buffer, or only its first item.
  flush: from RUN on internal if !empty(buf) -> same {
    send out { items = buf }
    buf = []
  }
  pass_one: from RUN on internal if len(buf) == B -> same {
    send out { items = [head(buf)] }
    buf = tail(buf)
  }
}

role Consumer {
  port inp: Batch
  states RUN
  initial RUN
  var got: list<Item, N> = []
  var last: int[-1..N - 1] = -1
  consume: from RUN on recv inp(b) -> same {
    assert len(got) + len(b.items) <= N
    last = b.items[len(b.items) - 1]
    got = got + [b.items[0]]
    if len(b.items) == 2 {
      got = got + [b.items[1]]
    }
  }
}

system relay {
  instance p: Producer
  instance r: Relay
  instance c: Consumer
  channel p.out -> r.inp capacity 1 blocking
  channel r.out -> c.inp capacity 2 blocking
}

// Items arrive in order, each once: got is a prefix of [0, 1, ..., N - 1].
property in_order in relay: always forall i: Idx . (i < len(c.got) -> c.got[i] == i)
property last_is_last in relay: always (empty(c.got) || c.last == len(c.got) - 1)
property done in relay: deadlock free except c.got == [0, 1, 2]
property late in relay: never (len(c.got) == 2 && tail(c.got) == [1] && r.buf == [2])

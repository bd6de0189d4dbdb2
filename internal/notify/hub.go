package notify

import "sync"

// Hub tells the open 通知 streams of this process that a user has something new.
// Other processes' notifications reach a stream through its bounded re-check.
type Hub struct {
	mu   sync.Mutex
	subs map[string]map[chan struct{}]bool
}

// NewHub returns a hub with no listeners.
func NewHub() *Hub { return &Hub{subs: map[string]map[chan struct{}]bool{}} }

// Subscribe returns a channel that receives a signal when user has a new notification,
// and the function that ends the subscription.
func (h *Hub) Subscribe(user string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	if h.subs[user] == nil {
		h.subs[user] = map[chan struct{}]bool{}
	}
	h.subs[user][ch] = true
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(h.subs[user], ch)
		h.mu.Unlock()
	}
}

// Publish signals every stream of the users; it never blocks.
func (h *Hub) Publish(users ...string) {
	if h == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, u := range users {
		for ch := range h.subs[u] {
			select {
			case ch <- struct{}{}:
			default:
			}
		}
	}
}

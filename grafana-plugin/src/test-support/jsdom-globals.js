// Browser APIs jsdom lacks that Grafana UI and Scenes use at render time.
class IntersectionObserverStub {
  constructor(callback) {
    this.callback = callback;
  }
  observe(target) {
    // Report every observed element as visible so lazily loaded panels render.
    this.callback([{ isIntersecting: true, target, intersectionRatio: 1 }], this);
  }
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
global.IntersectionObserver = IntersectionObserverStub;

// jsdom does no layout: report every observed element as a 800 x 300 box so panels render their body.
const BOX = { x: 0, y: 0, top: 0, left: 0, width: 800, height: 300, right: 800, bottom: 300 };
class ResizeObserverStub {
  constructor(callback) {
    this.callback = callback;
  }
  observe(target) {
    this.callback([{ target, contentRect: BOX, borderBoxSize: [{ inlineSize: 800, blockSize: 300 }] }], this);
  }
  unobserve() {}
  disconnect() {}
}
global.ResizeObserver = ResizeObserverStub;

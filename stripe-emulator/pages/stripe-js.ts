/*
 * Stand-in for https://js.stripe.com/<release>/stripe.js, served at GET /stripe-js/stripe.js (also /v3 and /<release>/stripe.js).
 * Defines window.Stripe(pk) with what @stripe/react-stripe-js's EmbeddedCheckoutProvider / EmbeddedCheckout call:
 *   createEmbeddedCheckoutPage(options) (and the older initEmbeddedCheckout) → Promise<{ mount(elOrSelector), unmount(), destroy() }>,
 *   options.clientSecret | options.fetchClientSecret, options.onComplete.
 * mount() inserts an iframe (title "Secure checkout", data-testid "stripe-emulator-embedded-checkout") showing
 * GET /c/embedded/:clientSecret; on completion the page posts a message and this script calls onComplete (if given)
 * and then navigates the top window to the session's return_url, unless redirect_on_completion is never (or
 * if_required with an onComplete).
 * handleNextAction / handleCardAction / confirmCardPayment({clientSecret}) open the 3-D Secure page in an overlay.
 * Everything else (Elements, tokens) rejects with a clear message.
 */
import type { Router } from "../router.js";
import type { PageHandler } from "./html.js";

export const STRIPE_JS_RELEASE = "endive";

export function stripeJsSource(origin: string): string {
  return `/* Stripe.js stand-in served by the Creditdesk Stripe emulator (${origin}). Test mode only. */
(function () {
  'use strict';
  var ORIGIN = ${JSON.stringify(origin)};

  function resolveElement(location) {
    if (typeof location === 'string') {
      var found = document.querySelector(location);
      if (!found) throw new Error('Stripe emulator: no element matches ' + location);
      return found;
    }
    if (!location || typeof location.appendChild !== 'function') throw new Error('Stripe emulator: mount() needs a CSS selector or a DOM element.');
    return location;
  }

  function unsupported(name) {
    return function () {
      return Promise.reject(new Error('Stripe emulator: ' + name + ' is not supported. Use Embedded Checkout or the hosted Checkout page.'));
    };
  }

  function EmbeddedCheckout(options, clientSecret) {
    var self = this;
    this._options = options;
    this._secret = clientSecret;
    this._iframe = null;
    this._destroyed = false;
    this._completed = false;
    this._onMessage = function (event) {
      if (!self._iframe || event.source !== self._iframe.contentWindow) return;
      var data = event.data || {};
      if (data.source !== 'stripe-emulator') return;
      if (data.type === 'resize' && typeof data.height === 'number') {
        // Only a change of the content's height moves the iframe (the page reports its content, not its viewport).
        var height = Math.max(Math.ceil(data.height) + 8, 320) + 'px';
        if (self._iframe.style.height !== height) self._iframe.style.height = height;
      } else if (data.type === 'checkout_complete') {
        self._complete(data);
      }
    };
    window.addEventListener('message', this._onMessage);
  }

  EmbeddedCheckout.prototype._complete = function (data) {
    if (this._completed) return;
    this._completed = true;
    var onComplete = typeof this._options.onComplete === 'function' ? this._options.onComplete : null;
    var mode = data.redirectOnCompletion || 'always';
    // never / if_required with onComplete: stay on the page; otherwise go to return_url (after onComplete, if any).
    if (onComplete) onComplete();
    if (mode === 'never' || (mode === 'if_required' && onComplete)) return;
    if (data.returnUrl) window.location.assign(data.returnUrl);
  };

  EmbeddedCheckout.prototype.mount = function (location) {
    if (this._destroyed) throw new Error('This Embedded Checkout instance has been destroyed. Create a new one.');
    if (this._iframe) throw new Error('Embedded Checkout is already mounted.');
    var container = resolveElement(location);
    var iframe = document.createElement('iframe');
    iframe.src = ORIGIN + '/c/embedded/' + encodeURIComponent(this._secret);
    iframe.title = 'Secure checkout';
    iframe.name = 'embedded-checkout';
    iframe.setAttribute('data-testid', 'stripe-emulator-embedded-checkout');
    iframe.setAttribute('allow', 'payment *');
    iframe.style.cssText = 'width:100%;min-height:640px;border:0;display:block;background:transparent;';
    container.appendChild(iframe);
    this._iframe = iframe;
  };

  EmbeddedCheckout.prototype.unmount = function () {
    if (this._destroyed) throw new Error('This Embedded Checkout instance has been destroyed.');
    if (this._iframe && this._iframe.parentNode) this._iframe.parentNode.removeChild(this._iframe);
    this._iframe = null;
  };

  EmbeddedCheckout.prototype.destroy = function () {
    if (this._iframe && this._iframe.parentNode) this._iframe.parentNode.removeChild(this._iframe);
    this._iframe = null;
    this._destroyed = true;
    window.removeEventListener('message', this._onMessage);
  };

  function fetchIntent(clientSecret) {
    var id = String(clientSecret).split('_secret_')[0];
    return fetch(ORIGIN + '/_emulator/js/intents/' + encodeURIComponent(id) + '?client_secret=' + encodeURIComponent(clientSecret)).then(function (res) {
      return res.json().then(function (body) {
        if (!res.ok) throw new Error((body && body.error && body.error.message) || 'Stripe emulator: intent lookup failed');
        return body;
      });
    });
  }

  function intentResult(intent) {
    var key = intent.object === 'setup_intent' ? 'setupIntent' : 'paymentIntent';
    var result = {};
    result[key] = intent;
    var lastError = intent.last_payment_error || intent.last_setup_error;
    if (intent.status === 'requires_payment_method' && lastError) {
      result.error = { type: lastError.type || 'card_error', code: lastError.code, decline_code: lastError.decline_code, message: lastError.message };
      result.error[key] = intent;
    }
    return result;
  }

  function authenticate(clientSecret) {
    return fetchIntent(clientSecret).then(function (intent) {
      if (intent.status !== 'requires_action') return intentResult(intent);
      return new Promise(function (resolve) {
        var overlay = document.createElement('div');
        overlay.setAttribute('role', 'dialog');
        overlay.setAttribute('aria-modal', 'true');
        overlay.setAttribute('aria-label', '3D Secure authentication');
        overlay.style.cssText = 'position:fixed;inset:0;background:rgba(0,0,0,.5);display:flex;align-items:center;justify-content:center;z-index:2147483647;';
        var frame = document.createElement('iframe');
        frame.src = ORIGIN + '/authenticate/' + encodeURIComponent(intent.id) + '?embedded=1';
        frame.title = '3D Secure authentication';
        frame.setAttribute('data-testid', 'stripe-emulator-three-d-secure');
        frame.style.cssText = 'width:min(480px,95vw);height:420px;border:0;border-radius:8px;background:#fff;';
        overlay.appendChild(frame);
        document.body.appendChild(overlay);
        function onMessage(event) {
          if (event.source !== frame.contentWindow) return;
          var data = event.data || {};
          if (data.source !== 'stripe-emulator' || data.type !== 'authentication_complete') return;
          window.removeEventListener('message', onMessage);
          if (overlay.parentNode) overlay.parentNode.removeChild(overlay);
          fetchIntent(clientSecret).then(function (updated) { resolve(intentResult(updated)); });
        }
        window.addEventListener('message', onMessage);
      });
    });
  }

  function StripeInstance(publishableKey, options) {
    this._key = publishableKey;
    this._options = options || {};
  }

  StripeInstance.prototype.createEmbeddedCheckoutPage = function (options) {
    options = options || {};
    var secret;
    if (typeof options.clientSecret === 'string' && options.clientSecret) {
      secret = Promise.resolve(options.clientSecret);
    } else if (typeof options.fetchClientSecret === 'function') {
      secret = Promise.resolve().then(function () { return options.fetchClientSecret(); });
    } else {
      return Promise.reject(new Error('Stripe emulator: pass clientSecret or fetchClientSecret to createEmbeddedCheckoutPage.'));
    }
    return secret.then(function (value) {
      if (typeof value !== 'string' || value.indexOf('_secret_') < 0) throw new Error('Stripe emulator: invalid Checkout Session client secret: ' + value);
      return new EmbeddedCheckout(options, value);
    });
  };
  StripeInstance.prototype.initEmbeddedCheckout = StripeInstance.prototype.createEmbeddedCheckoutPage;

  StripeInstance.prototype.redirectToCheckout = function (options) {
    window.location.assign(ORIGIN + '/c/pay/' + encodeURIComponent((options && options.sessionId) || ''));
    return new Promise(function () {});
  };

  StripeInstance.prototype.handleNextAction = function (options) { return authenticate(options && options.clientSecret); };
  StripeInstance.prototype.handleCardAction = function (clientSecret) { return authenticate(clientSecret); };
  StripeInstance.prototype.confirmCardPayment = function (clientSecret) { return authenticate(clientSecret); };
  StripeInstance.prototype.confirmCardSetup = function (clientSecret) { return authenticate(clientSecret); };
  StripeInstance.prototype.retrievePaymentIntent = function (clientSecret) {
    return fetchIntent(clientSecret).then(function (intent) { return { paymentIntent: intent }; });
  };

  StripeInstance.prototype.elements = function () {
    return {
      create: function () { throw new Error('Stripe emulator: Elements are not supported. Use Embedded Checkout or the hosted Checkout page.'); },
      getElement: function () { return null; },
      update: function () {},
      fetchUpdates: function () { return Promise.resolve({}); },
      submit: unsupported('elements.submit')
    };
  };
  ['createToken', 'createSource', 'createPaymentMethod', 'confirmPayment', 'confirmSetup', 'initCheckout', 'initCheckoutFormSdk', 'initializePricing', 'collectBankAccountForPayment', 'verifyIdentity'].forEach(function (name) {
    StripeInstance.prototype[name] = unsupported(name);
  });
  StripeInstance.prototype.paymentRequest = function () { return { canMakePayment: function () { return Promise.resolve(null); }, on: function () {}, show: function () {} }; };
  StripeInstance.prototype._registerWrapper = function () {};
  StripeInstance.prototype.registerAppInfo = function () {};

  function Stripe(publishableKey, options) {
    if (typeof publishableKey !== 'string' || !publishableKey) throw new Error('Stripe emulator: Stripe() needs a publishable key.');
    return new StripeInstance(publishableKey, options);
  }
  Stripe.version = ${JSON.stringify(STRIPE_JS_RELEASE)};
  Stripe.emulator = { origin: ORIGIN };
  window.Stripe = Stripe;
})();
`;
}

export function registerStripeJs(r: Router<PageHandler>): void {
  const serve: PageHandler = (ctx) => ({
    status: 200,
    headers: {
      "Content-Type": "application/javascript; charset=utf-8",
      "Access-Control-Allow-Origin": "*",
      "Cache-Control": "no-store",
    },
    body: stripeJsSource(ctx.store.publicBaseUrl),
  });
  r.get("/stripe-js/stripe.js", serve);
  r.get("/v3", serve);
  r.get("/:release/stripe.js", serve);
}

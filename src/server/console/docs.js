// Starts Swagger UI on /openapi.json. The API key from the form (sessionStorage) is sent as a
// Bearer token with the document request and with every "Try it out" request.
import { apiKey, mountKeyForm } from './api-key.js';

mountKeyForm(document.getElementById('key'), () => location.reload());

window.ui = window.SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  docExpansion: 'list',
  // No calls to validator.swagger.io: the page talks to this server only.
  validatorUrl: null,
  requestInterceptor: (request) => {
    const key = apiKey();
    if (key) request.headers.Authorization = `Bearer ${key}`;
    return request;
  },
});

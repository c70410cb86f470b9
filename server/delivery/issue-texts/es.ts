import type { ISSUE_MESSAGES } from './en.js';

/** The analysis's messages in Spanish (usted; «…» quotes). */
export const ISSUES_ES: Record<keyof typeof ISSUE_MESSAGES, string> = {
  'check.content.empty': 'el mensaje no tiene parte HTML ni parte de texto',
  'check.subject.empty': 'el asunto está vacío',
  'check.subject.characters': 'el asunto contiene saltos de línea o caracteres de control',
  'check.subject.length':
    'el asunto tiene {length} caracteres: los clientes de escritorio muestran unos {shown} y los teléfonos unos 35; ponga primero lo importante',
  'check.from.missing': 'no hay dirección de remitente (From)',
  'check.from.invalid': 'la dirección del remitente no es válida: {problem}',
  'check.replyTo.invalid': 'la dirección Reply-To no es válida: {problem}',
  'check.from.name': 'el nombre del remitente contiene caracteres especiales (< > @ " o de control)',
  'check.from.dkim':
    'no hay ninguna clave DKIM configurada para el dominio del remitente ([[delivery.dkim]]): los proveedores de correo exigen DKIM para los envíos masivos',
  'check.unsubscribe.html': 'un correo de marketing necesita un enlace de baja en la parte HTML: <a href="<%= links.unsubscribe %>">Darse de baja</a>',
  'check.unsubscribe.text': 'un correo de marketing necesita el enlace de baja en la parte de texto: <%= links.unsubscribe %>',
  'check.text.missing': 'no hay parte de texto: los destinatarios que prefieren texto reciben la parte HTML',
  'check.text.generated': 'no se ha escrito ninguna parte de texto: se genera a partir del HTML',
  'check.fields.custom': 'ningún destinatario tiene el campo o los campos personalizados {fields}: aparecerán vacíos',
  'check.fields.unknown': 'campo de personalización desconocido {field} (conocidos: {known})',
  'check.fields.unknown_recipient':
    'campo de personalización desconocido {field} (conocidos: {known}); los campos personalizados se leen como recipient.fields.<nombre>',
  'check.images.alt':
    '{count} imagen(es) sin texto alternativo ({images}): los clientes que bloquean las imágenes no muestran nada en su lugar y los lectores de pantalla leen el nombre del archivo',
  'check.size.gmail':
    'la parte HTML ocupa unos {kb} KB con sus enlaces con seguimiento: Gmail recorta los mensajes de más de {limit} KB y oculta el resto, incluido el enlace de baja, tras «Ver mensaje completo»',
  'check.size.total': 'el mensaje ocupa unos {total} KB (HTML {html} KB, texto {text} KB)',
  'check.balance.images':
    'el HTML es casi todo imágenes ({images} imagen(es), {chars} caracteres de texto): los filtros de spam desconfían de él y quien bloquea las imágenes no ve casi nada',
  'check.balance.text':
    'la parte de texto ({textChars} caracteres) dice mucho menos que el HTML ({htmlChars} caracteres): déjela vacía para generarla a partir del HTML',
  'check.preheader.missing':
    'no hay preencabezado: las bandejas de entrada muestran las primeras palabras del cuerpo junto al asunto; añada <mj-preview> (MJML) o una primera línea oculta',
  'check.footer.address':
    'el pie sigue mostrando la dirección postal de ejemplo (1 Example Street): edite el bloque de contenido «footer»; un correo de marketing debe mostrar su dirección postal',
  'check.sms.text': 'un SMS necesita su texto (la parte HTML no se envía por SMS)',
  'check.sms.stop': 'un SMS de marketing debe indicar cómo dejar de recibirlos, p. ej. «STOP para darse de baja»',
  'check.push.title': 'una notificación push necesita su título',
  'check.routing.provider': 'no hay ningún [[routing.providers]] configurado para {channel}: el archivo de extracción no tendría adónde ir',
  'check.validity.ended': 'el periodo de validez ya ha terminado',
  'check.validity.schedule': 'la fecha de contacto es posterior al final del periodo de validez',
  'check.proof.size': 'una prueba va como máximo a {max} direcciones (hay {count})',
  'check.headers.name': 'el contenido no puede definir el encabezado «{name}» (reservado o nombre de encabezado no válido)',
  'check.blocks.unresolved': 'el contenido hace referencia a bloques de contenido que no se han incluido (compílelo primero)',
  'check.blocks.missing': 'no existe ningún bloque de contenido «{name}»',
  'check.blocks.format': 'el bloque «{name}» es MJML y solo puede usarse en contenido MJML',
  'check.blocks.nested': 'el bloque «{name}» hace referencia a otro bloque; un bloque no puede incluir bloques',
  'check.blocks.reference': 'una referencia a un bloque se escribe <herald-block name="…"></herald-block>',
  'check.landing.personalized':
    'una página de destino es igual para todos los visitantes; no puede contener <% … %> (personalización, enlaces del destinatario)',
  'check.landing.form': 'no existe ningún formulario «{name}» que insertar; use <herald-form name="subscribe"></herald-form>',
  'check.context.tag': 'dentro de una etiqueta, la personalización debe ir en el valor entre comillas de un atributo',
  'check.context.unquoted': 'ponga entre comillas el valor del atributo «{name}» cuando contenga personalización',
  'check.context.handler': 'no se admite personalización en los manejadores de eventos («{name}»)',
  'check.context.style': 'no se admite personalización en los atributos style',
  'check.context.srcset': 'no se admite personalización en srcset (use src)',
  'check.context.meta': 'no se admite personalización en <meta content>',
  'check.context.element': 'no se admite personalización dentro de <{tag}>',
  'check.context.conditional': 'no se admite personalización en un comentario condicional',
  'check.context.declaration': 'no se admite personalización en las declaraciones',
  'check.context.end_tag': 'no se admite personalización dentro de una etiqueta de cierre',
  'check.mjml.include': 'no se admite <mj-include>; use un bloque de contenido',
  'check.mjml.dropped': 'MJML descarta {tag} aquí (texto entre secciones o columnas); póngalo dentro de <mj-raw> o <mj-text>',
  'check.links.code': 'no se admite código (<% %>) dentro de un enlace; calcule el valor antes del enlace',
  'check.links.host': 'no se admite personalización en el esquema ni en el host de un enlace (se podría enviar a los destinatarios a otro sitio)',
  'check.links.path': 'la personalización solo se admite en los valores de los parámetros de consulta, no en la ruta de un enlace',
  'check.links.fragment': 'no se admite personalización en el #fragmento de un enlace',
  'check.links.query_name': 'no se admite personalización en los nombres de los parámetros de consulta',
  'check.links.broken': 'el enlace {url} no responde: {answer}',
  'check.links.image_broken': 'la imagen {url} no responde: {answer}',
  'check.links.unchecked': '{count} enlace(s) no se han comprobado (content.maxLinksChecked = {max})',
  'check.links.checked': '{count} enlace(s) e imagen(es) comprobados, {failed} sin respuesta',
  'check.spam.not_installed': 'sin puntuación de spam: {path} no está instalado (paquete Debian spamassassin)',
  'check.spam.unreachable': 'sin puntuación de spam: spamc no pudo consultar a spamd en {address} ({why})',
  'check.spam.high': 'SpamAssassin puntúa este mensaje con {score} (spam a partir de {threshold}): revise sus imágenes, enlaces y redacción',
  'check.spam.score': 'SpamAssassin puntúa este mensaje con {score} (spam a partir de {threshold})',
};
